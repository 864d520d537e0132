"""A labelled same-event set written for newsbot's tests and bench.related (invented events in
invented places, no third-party news text): each event reported in English twice (two
sources, worded differently), and in German, Spanish and Polish; plus near misses, other
events on the same subjects, that must not join those stories.

`EVENTS[key]` lists (language, title, lead) triples; articles with the same key report the
same event.
"""

from __future__ import annotations

EVENTS: dict[str, list[tuple[str, str, str]]] = {
    "tram": [
        (
            "en",
            "Riverton council approves tram line to the airport",
            "Councillors voted 31 to 9 on Tuesday for a 12-kilometre tram line linking the centre "
            "of Riverton with its airport, due to open in 2029.",
        ),
        (
            "en",
            "Airport tram gets the green light in Riverton",
            "Riverton's city council backed plans for a new tram route to the airport, with "
            "construction expected to start next spring.",
        ),
        (
            "de",
            "Riverton genehmigt Straßenbahn zum Flughafen",
            "Der Stadtrat von Riverton hat am Dienstag mit 31 zu 9 Stimmen eine zwölf Kilometer "
            "lange Straßenbahnlinie zum Flughafen beschlossen.",
        ),
        (
            "es",
            "Riverton aprueba una línea de tranvía al aeropuerto",
            "El ayuntamiento de Riverton votó el martes a favor de una línea de tranvía de 12 "
            "kilómetros que unirá el centro con el aeropuerto.",
        ),
        (
            "pl",
            "Riverton zatwierdza linię tramwajową na lotnisko",
            "Rada miasta Riverton przegłosowała we wtorek budowę dwunastokilometrowej linii "
            "tramwajowej łączącej centrum z lotniskiem.",
        ),
    ],
    "storm": [
        (
            "en",
            "Storm closes coastal road as waves flood Port Alder",
            "Gale-force winds and high waves flooded the seafront in Port Alder overnight, "
            "forcing police to close the coastal road.",
        ),
        (
            "en",
            "Port Alder seafront under water after overnight storm",
            "The coast road out of Port Alder was shut after a storm sent waves over the sea "
            "wall and flooded shops along the front.",
        ),
        (
            "de",
            "Sturm überflutet Uferpromenade von Port Alder",
            "Orkanböen und hohe Wellen haben in der Nacht die Uferpromenade von Port Alder "
            "überflutet; die Küstenstraße wurde gesperrt.",
        ),
        (
            "es",
            "Un temporal inunda el paseo marítimo de Port Alder",
            "Vientos huracanados y olas altas inundaron durante la noche el paseo marítimo de "
            "Port Alder y la policía cerró la carretera de la costa.",
        ),
        (
            "pl",
            "Sztorm zalał nabrzeże w Port Alder",
            "Silny wiatr i wysokie fale zalały w nocy nabrzeże w Port Alder, a policja zamknęła "
            "drogę nadmorską.",
        ),
    ],
    "fire": [
        (
            "en",
            "Fire at Kelham chemical plant, residents told to keep windows shut",
            "A large fire broke out at a chemical plant in Kelham on Monday and residents nearby "
            "were told to stay indoors with windows closed.",
        ),
        (
            "en",
            "Smoke over Kelham as chemical works burns",
            "Firefighters fought a blaze at the Kelham chemical works while people living close "
            "by were advised to keep their windows shut.",
        ),
        (
            "de",
            "Großbrand in Chemiewerk in Kelham",
            "In einem Chemiewerk in Kelham ist am Montag ein Großbrand ausgebrochen; Anwohner "
            "sollen Fenster und Türen geschlossen halten.",
        ),
        (
            "es",
            "Incendio en una planta química de Kelham",
            "Un gran incendio se declaró el lunes en una planta química de Kelham y se pidió a "
            "los vecinos que mantuvieran las ventanas cerradas.",
        ),
        (
            "pl",
            "Pożar zakładów chemicznych w Kelham",
            "W poniedziałek w zakładach chemicznych w Kelham wybuchł duży pożar; mieszkańcom "
            "zalecono, by nie otwierali okien.",
        ),
    ],
    "cup": [
        (
            "en",
            "Northland win the regional cup final 2-1",
            "Northland came from behind to beat Eastmark 2-1 in the regional cup final, with the "
            "winning goal scored in the 88th minute.",
        ),
        (
            "en",
            "Late goal gives Northland the cup",
            "An 88th-minute strike settled the regional cup final as Northland beat Eastmark "
            "two goals to one.",
        ),
        (
            "de",
            "Northland gewinnt das Pokalfinale mit 2:1",
            "Northland hat das regionale Pokalfinale gegen Eastmark nach Rückstand mit 2:1 "
            "gewonnen; das Siegtor fiel in der 88. Minute.",
        ),
        (
            "es",
            "Northland gana la final de la copa regional por 2-1",
            "Northland remontó y venció 2-1 a Eastmark en la final de la copa regional con un "
            "gol en el minuto 88.",
        ),
        (
            "pl",
            "Northland wygrywa finał pucharu 2:1",
            "Northland odrobił straty i pokonał Eastmark 2:1 w finale regionalnego pucharu; "
            "zwycięski gol padł w 88. minucie.",
        ),
    ],
    "rates": [
        (
            "en",
            "Central bank of Veloria raises interest rates by a quarter point",
            "The Bank of Veloria raised its main interest rate by 0.25 percentage points to "
            "4.5%, saying inflation was still too high.",
        ),
        (
            "en",
            "Veloria lifts rates to 4.5% to fight inflation",
            "Veloria's central bank increased borrowing costs for the third time this year, "
            "taking its key rate to 4.5 per cent.",
        ),
        (
            "de",
            "Notenbank von Veloria erhöht den Leitzins",
            "Die Zentralbank von Veloria hat den Leitzins um 0,25 Prozentpunkte auf 4,5 Prozent "
            "angehoben, weil die Inflation zu hoch bleibe.",
        ),
        (
            "es",
            "El banco central de Veloria sube los tipos de interés",
            "El Banco de Veloria elevó su tipo de interés principal en un cuarto de punto, hasta "
            "el 4,5 %, por una inflación todavía alta.",
        ),
        (
            "pl",
            "Bank centralny Velorii podnosi stopy procentowe",
            "Bank Velorii podniósł główną stopę procentową o 0,25 punktu procentowego do 4,5 "
            "proc., bo inflacja wciąż jest zbyt wysoka.",
        ),
    ],
    "strike": [
        (
            "en",
            "Nurses at Brightwater hospital strike over pay",
            "Hundreds of nurses at Brightwater general hospital walked out on Wednesday in a "
            "dispute over pay and staffing.",
        ),
        (
            "en",
            "Brightwater nurses walk out in pay dispute",
            "Nursing staff at the Brightwater hospital began a 48-hour strike, demanding higher "
            "wages and more colleagues on each ward.",
        ),
        (
            "de",
            "Pflegekräfte in Brightwater streiken für mehr Lohn",
            "Hunderte Pflegekräfte des Krankenhauses von Brightwater haben am Mittwoch die Arbeit "
            "niedergelegt; sie fordern mehr Geld und mehr Personal.",
        ),
        (
            "es",
            "Huelga de enfermeras en el hospital de Brightwater",
            "Cientos de enfermeras del hospital general de Brightwater se declararon en huelga el "
            "miércoles por los salarios y la falta de personal.",
        ),
        (
            "pl",
            "Strajk pielęgniarek w szpitalu w Brightwater",
            "Setki pielęgniarek ze szpitala w Brightwater rozpoczęły w środę strajk, domagając "
            "się wyższych płac i większej obsady.",
        ),
    ],
    "painting": [
        (
            "en",
            "Stolen painting returns to the Halden museum",
            "A 17th-century portrait stolen from the Halden city museum twelve years ago has "
            "been recovered and is back on display.",
        ),
        (
            "en",
            "Halden museum gets its missing portrait back",
            "Police handed back the portrait taken from the Halden museum in a night-time "
            "break-in more than a decade ago.",
        ),
        (
            "de",
            "Gestohlenes Gemälde kehrt ins Museum von Halden zurück",
            "Ein vor zwölf Jahren aus dem Stadtmuseum von Halden gestohlenes Porträt aus dem "
            "17. Jahrhundert ist wieder aufgetaucht.",
        ),
        (
            "es",
            "Un cuadro robado vuelve al museo de Halden",
            "Un retrato del siglo XVII robado hace doce años del museo municipal de Halden ha "
            "sido recuperado y vuelve a exponerse.",
        ),
        (
            "pl",
            "Skradziony obraz wraca do muzeum w Halden",
            "Siedemnastowieczny portret skradziony dwanaście lat temu z muzeum miejskiego w "
            "Halden został odnaleziony.",
        ),
    ],
    "derailment": [
        (
            "en",
            "Freight train derails near Millbrook, line closed",
            "Eleven wagons of a freight train left the tracks near Millbrook early on Friday; "
            "nobody was hurt but the line will stay closed for days.",
        ),
        (
            "en",
            "Millbrook rail line shut after goods train comes off the tracks",
            "Passenger services through Millbrook were cancelled after a goods train derailed "
            "before dawn. There were no injuries.",
        ),
        (
            "de",
            "Güterzug bei Millbrook entgleist",
            "Elf Waggons eines Güterzugs sind am Freitagmorgen bei Millbrook entgleist; verletzt "
            "wurde niemand, die Strecke bleibt tagelang gesperrt.",
        ),
        (
            "es",
            "Descarrila un tren de mercancías cerca de Millbrook",
            "Once vagones de un tren de mercancías descarrilaron el viernes cerca de Millbrook; "
            "no hubo heridos, pero la línea seguirá cortada.",
        ),
        (
            "pl",
            "Wykoleił się pociąg towarowy pod Millbrook",
            "W piątek rano pod Millbrook z torów wypadło jedenaście wagonów pociągu towarowego; "
            "nikt nie ucierpiał, linia jest zamknięta.",
        ),
    ],
    "recall": [
        (
            "en",
            "Lumo recalls 200,000 phones over battery fires",
            "Phone maker Lumo is recalling 200,000 handsets of its X5 model after reports of "
            "batteries overheating and catching fire.",
        ),
        (
            "en",
            "Overheating batteries force Lumo X5 recall",
            "Lumo asked owners of the X5 phone to stop using it and return it, after several "
            "batteries burst into flames.",
        ),
        (
            "de",
            "Lumo ruft 200.000 Telefone zurück",
            "Der Handyhersteller Lumo ruft 200.000 Geräte des Modells X5 zurück, weil Akkus "
            "überhitzt und Feuer gefangen haben.",
        ),
        (
            "es",
            "Lumo retira 200.000 teléfonos por baterías que se incendian",
            "El fabricante Lumo retira 200.000 unidades de su modelo X5 tras varios casos de "
            "baterías que se sobrecalentaron y ardieron.",
        ),
        (
            "pl",
            "Lumo wycofuje 200 tys. telefonów z powodu pożarów baterii",
            "Producent Lumo wycofuje z rynku 200 tys. egzemplarzy modelu X5 po zgłoszeniach o "
            "przegrzewających się i zapalających bateriach.",
        ),
    ],
    "drought": [
        (
            "en",
            "Drought brings water restrictions to the capital",
            "Households in the capital may no longer water gardens or fill pools after the "
            "driest summer in forty years left reservoirs half empty.",
        ),
        (
            "en",
            "Hosepipe ban as the capital's reservoirs run low",
            "Water officials banned garden sprinklers and pool filling in the capital, with "
            "reservoirs at half their usual level after months without rain.",
        ),
        (
            "de",
            "Dürre: Wasser wird in der Hauptstadt rationiert",
            "Nach dem trockensten Sommer seit vierzig Jahren dürfen die Haushalte der Hauptstadt "
            "keine Gärten mehr bewässern und keine Pools füllen.",
        ),
        (
            "es",
            "La sequía obliga a restringir el agua en la capital",
            "Los hogares de la capital ya no podrán regar jardines ni llenar piscinas tras el "
            "verano más seco en cuarenta años.",
        ),
        (
            "pl",
            "Susza: ograniczenia w zużyciu wody w stolicy",
            "Po najsuchszym od czterdziestu lat lecie mieszkańcy stolicy nie mogą podlewać "
            "ogrodów ani napełniać basenów.",
        ),
    ],
    # Near misses: the same subjects as above, other events.
    "rates-cut": [
        (
            "en",
            "Bank of Marlow cuts interest rates as growth stalls",
            "The Bank of Marlow lowered its key rate by half a point to 3%, citing a slowing "
            "economy and falling prices.",
        ),
        (
            "de",
            "Notenbank von Marlow senkt die Zinsen",
            "Die Zentralbank von Marlow hat den Leitzins um einen halben Punkt auf drei Prozent "
            "gesenkt, weil die Wirtschaft schwächelt.",
        ),
    ],
    "semi": [
        (
            "en",
            "Westbury knocked out of the cup in the semi-final",
            "Westbury lost 3-0 to Southgate in the cup semi-final after two first-half goals.",
        ),
        (
            "de",
            "Westbury scheidet im Halbfinale aus",
            "Westbury hat das Pokalhalbfinale gegen Southgate mit 0:3 verloren.",
        ),
    ],
    "heat": [
        (
            "en",
            "Heatwave: Port Alder opens cooling centres",
            "With temperatures above 38 degrees for a fifth day, Port Alder opened public "
            "cooling centres for older residents.",
        ),
        (
            "de",
            "Hitzewelle: Port Alder öffnet Kühlräume",
            "Bei über 38 Grad am fünften Tag in Folge hat Port Alder öffentliche Kühlräume für "
            "ältere Menschen geöffnet.",
        ),
    ],
}


def articles() -> list[dict[str, str]]:
    """Every article as a JSON Lines record for `newsbot ingest` (minutes apart)."""
    records = []
    reported = [(key, report) for key, reports in EVENTS.items() for report in reports]
    for number, (key, (language, title, lead)) in enumerate(reported):
        records.append(
            {
                "title": title,
                "text": lead,
                "url": f"https://{language}.news.example/{key}/{number}",
                "language": language,
                "source": f"{language}-desk",
                "published": f"2026-11-20T{8 + number // 60:02d}:{number % 60:02d}:00Z",
                "event": key,
            }
        )
    return records
