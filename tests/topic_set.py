"""A labelled topic set written for bench.topics and the tagging tests (invented articles, no
third-party news text): (expected topic slug, headline, lead). Tricky cases on purpose: words
that belong to another topic's rules ("market", "match", "study", "vote") in articles about
something else, and articles for the general topic (weather, local life, crime)."""

from __future__ import annotations

TOPIC_SET: list[tuple[str, str, str]] = [
    (
        "world",
        "Foreign ministers meet in Geneva to discuss the border dispute",
        "Envoys from both countries agreed to keep talking after a day of negotiations hosted "
        "by the United Nations.",
    ),
    (
        "world",
        "Ceasefire holds for a third day in the northern region",
        "Aid convoys reached villages cut off for weeks as the truce between the two armies held.",
    ),
    (
        "world",
        "Embassy reopens in the capital after five years",
        "The two neighbours restored diplomatic relations and exchanged ambassadors on Monday.",
    ),
    (
        "world",
        "Refugees cross the border as fighting spreads",
        "Thousands of families fled into neighbouring countries, the UN refugee agency said.",
    ),
    (
        "world",
        "Leaders of twenty nations gather for the Pacific summit",
        "Trade, fishing rights and rising seas top the agenda of the three-day meeting of heads "
        "of state.",
    ),
    (
        "politics",
        "Parliament passes the budget after an all-night session",
        "Members of parliament approved the spending plan by 201 votes to 187.",
    ),
    (
        "politics",
        "Prime minister reshuffles the cabinet",
        "Three ministers lost their jobs and the finance portfolio changed hands.",
    ),
    (
        "politics",
        "Opposition leader calls for an early election",
        "The leader of the main opposition party said the governing coalition had lost its "
        "mandate.",
    ),
    (
        "politics",
        "Senate rejects the voting reform bill",
        "Senators voted down the proposal to lower the voting age to sixteen.",
    ),
    (
        "politics",
        "Mayor wins a second term in a tight race",
        "The incumbent mayor was re-elected with 51 per cent of the vote after a long campaign.",
    ),
    (
        "business",
        "Shares fall as the central bank signals more rate rises",
        "Stock markets lost two per cent after the governor warned that inflation was not beaten.",
    ),
    (
        "business",
        "Carmaker to cut 3,000 jobs as sales slow",
        "The company said profits halved in the third quarter and it would close two plants.",
    ),
    (
        "business",
        "Supermarket chain agrees takeover by a rival",
        "The deal values the grocer at 4 billion and needs approval from competition regulators.",
    ),
    (
        "business",
        "Unemployment falls to its lowest level in a decade",
        "Employers added 40,000 jobs last month, official figures showed.",
    ),
    (
        "business",
        "Airline reports record profits on strong summer demand",
        "Revenue rose by a fifth as ticket prices climbed and planes flew fuller.",
    ),
    (
        "tech",
        "New smartphone chip promises a two-day battery",
        "The processor uses a new manufacturing process that cuts power use by a third.",
    ),
    (
        "tech",
        "Hackers steal customer data from an online retailer",
        "The cybersecurity breach exposed the addresses and card details of a million shoppers.",
    ),
    (
        "tech",
        "Start-up releases an open-source artificial intelligence model",
        "The software can translate between forty languages and runs on a laptop.",
    ),
    (
        "tech",
        "Social network changes its privacy settings after complaints",
        "Users will have to opt in before their posts are used to target advertising.",
    ),
    (
        "tech",
        "Broadband comes to remote islands through a new undersea cable",
        "Homes on the islands will get internet speeds a hundred times faster than before.",
    ),
    (
        "science",
        "Telescope spots water vapour on a distant planet",
        "Astronomers say the planet, 120 light years away, may have clouds and rain.",
    ),
    (
        "science",
        "Vaccine trial shows strong protection against the virus",
        "Researchers found the new vaccine cut hospital admissions by 80 per cent.",
    ),
    (
        "science",
        "Glaciers are melting faster than expected, study finds",
        "Scientists measured the ice in two hundred glaciers over twenty years.",
    ),
    (
        "science",
        "Fossil of a giant sea reptile found in a quarry",
        "Palaeontologists say the skeleton is 180 million years old and almost complete.",
    ),
    (
        "science",
        "Rocket launches a weather satellite into orbit",
        "The satellite will track storms and measure sea temperatures from space.",
    ),
    (
        "sport",
        "Home side wins the league title on the last day",
        "A late goal secured the championship for the first time in thirty years.",
    ),
    (
        "sport",
        "Tennis star knocked out in the first round",
        "The second seed lost in straight sets to a qualifier ranked 140th in the world.",
    ),
    (
        "sport",
        "Marathon record broken in the city race",
        "The winner finished in two hours and one minute, cutting forty seconds off the record.",
    ),
    (
        "sport",
        "National coach names the squad for the world cup",
        "Three uncapped players were included in the 26-man squad.",
    ),
    (
        "sport",
        "Cyclist takes the yellow jersey after a mountain stage",
        "The climber attacked on the final ascent and gained two minutes on his rivals.",
    ),
    (
        "culture",
        "Film festival opens with a documentary about the sea",
        "The ten-day festival will screen 180 films from forty countries.",
    ),
    (
        "culture",
        "Novelist wins the national book prize",
        "The judges praised her third novel, set in a fishing village in the 1950s.",
    ),
    (
        "culture",
        "Museum opens an exhibition of medieval tapestries",
        "Forty tapestries, some never shown in public, go on display from Saturday.",
    ),
    (
        "culture",
        "Band announces a reunion tour after twenty years",
        "The group will play twelve concerts next summer and release a new album.",
    ),
    (
        "culture",
        "Theatre stages a new version of a classic comedy",
        "The production moves the play to a seaside hotel in the 1970s.",
    ),
    (
        "culture",
        "Winter market returns to the old town square",
        "Wooden stalls selling crafts, mulled wine and roasted chestnuts open on Friday, with "
        "carol singers every evening.",
    ),
    (
        "general",
        "Heavy snow closes schools across the region",
        "Forecasters expect another 20 centimetres overnight and warn drivers to stay at home.",
    ),
    (
        "general",
        "Police appeal for witnesses after a jewellery shop robbery",
        "Two men on a motorbike smashed the window and escaped with rings and watches.",
    ),
    (
        "general",
        "Lost dog found after a month on the moors",
        "Walkers spotted the terrier near a farm, thirty kilometres from home.",
    ),
    (
        "general",
        "Bridge closed for repairs until the spring",
        "Drivers face a diversion of twelve kilometres while engineers replace the deck.",
    ),
    (
        "general",
        "Town celebrates its 800th birthday with a parade",
        "Thousands lined the streets to watch floats, bands and people in medieval costume.",
    ),
    (
        "general",
        "Record heat expected this weekend",
        "Temperatures could reach 39 degrees and people are advised to drink plenty of water.",
    ),
    (
        "general",
        "Ferry runs aground, passengers taken off safely",
        "All 300 people on board were brought ashore by lifeboats after the ferry struck a "
        "sandbank.",
    ),
    (
        "general",
        "Local bakery celebrates a hundred years on the high street",
        "The family business has sold bread from the same shop since 1926.",
    ),
]
