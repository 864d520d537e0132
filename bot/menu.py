"""The command menu: parsed from a template, set per language with setMyCommands."""

from __future__ import annotations

from telegram import Bot, BotCommand

from digests.text.render import Renderer

MENU_TEMPLATE = "bot/commands.txt"


def parse_menu(text: str) -> list[dict[str, str]]:
    """Parse @BotFather's 'command - description' lines into name/description pairs."""
    commands = []
    for line in text.splitlines():
        name, separator, description = line.partition(" - ")
        if separator and name.strip():
            commands.append({"name": name.strip(), "description": description.strip()})
    return commands


def build_menus(renderer: Renderer) -> dict[str, list[dict[str, str]]]:
    """The menu in every language the templates support."""
    return {
        language: parse_menu(renderer.render(MENU_TEMPLATE, language=language))
        for language in sorted(renderer.languages)
    }


async def publish_menus(bot: Bot, menus: dict[str, list[dict[str, str]]], default: str) -> None:
    """Set the default menu and one per other language."""
    for language, commands in menus.items():
        bot_commands = [BotCommand(c["name"], c["description"]) for c in commands]
        code = None if language == default else language
        await bot.set_my_commands(bot_commands, language_code=code)
