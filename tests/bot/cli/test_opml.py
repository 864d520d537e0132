"""`newsbot sources import FILE.opml` and `newsbot sources export` as an operator runs them."""

from __future__ import annotations

import listparser

from tests.bot.cli.running import newsbot

OPML = """<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>Newsroom feeds</title></head><body>
  <outline text="Wires">
    <outline text="World wire" type="rss" xmlUrl="https://wire.example/world.xml"
             category="/World,/Gardening"/>
    <outline text="Deeper">
      <outline text="Tech blog" type="rss" xmlUrl="https://blog.example/feed"/>
    </outline>
  </outline>
  <outline text="Sport">
    <outline text="Match reports" type="rss" xmlUrl="https://sport.example/rss"/>
  </outline>
  <outline text="World wire again" type="rss" xmlUrl="https://wire.example/world.xml"/>
  <outline text="A site without a feed" htmlUrl="https://site.example/"/>
  <outline text="Empty" type="rss"/>
  <outline text="Script" type="rss" xmlUrl="javascript:alert(1)"/>
</body></opml>
"""


def test_import_reports_repeats_and_outlines_without_a_feed_then_export_reads_back(
    tmp_path, database_url
):
    env = {"DATABASE_URL": database_url}
    path = tmp_path / "feeds.opml"
    path.write_text(OPML)

    imported = newsbot("sources", "import", str(path), cwd=tmp_path, **env)

    assert imported.returncode == 0, imported.stderr
    lines = imported.stdout.splitlines()
    assert lines[0] == (
        "OPML import: 3 added, 1 already known, 2 without a feed address, 1 refused."
    )
    assert "✅ #1 World wire (world)" in lines  # "Gardening" names no topic
    assert "✅ #2 Tech blog" in lines
    assert "✅ #3 Match reports (sport)" in lines  # its folder names the topic
    assert "Already known: https://wire.example/world.xml" in lines
    assert "No feed address: A site without a feed" in lines
    assert "No feed address: Empty" in lines
    assert "Refused, not a web feed address: javascript:alert(1)" in lines

    again = newsbot("sources", "import", str(path), cwd=tmp_path, **env)
    assert again.stdout.splitlines()[0].startswith("OPML import: 0 added, 4 already known")

    exported = newsbot("sources", "export", cwd=tmp_path, **env)
    assert exported.returncode == 0, exported.stderr
    assert exported.stdout.startswith(
        '<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0">'
    )
    parsed = listparser.parse(exported.stdout.encode())
    assert parsed.version == "opml2"
    assert [(f.url, f.title, f.tags) for f in parsed.feeds] == [
        ("https://wire.example/world.xml", "World wire", ["world"]),
        ("https://blog.example/feed", "Tech blog", []),
        ("https://sport.example/rss", "Match reports", ["sport"]),
    ]


def test_a_file_that_is_not_opml_imports_nothing(tmp_path, database_url):
    path = tmp_path / "notes.opml"
    path.write_text("just some words")
    result = newsbot("sources", "import", str(path), cwd=tmp_path, DATABASE_URL=database_url)
    assert result.returncode == 1
    assert "This is not an OPML subscription list: nothing was imported." in result.stdout
    listed = newsbot("sources", "list", cwd=tmp_path, DATABASE_URL=database_url)
    assert listed.stdout.strip() == "no sources yet: add one with `newsbot sources add URL`"
