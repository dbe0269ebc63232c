/// What a word can be for the personal-data scanner; one word may be several things ("Frau" is a title and a person).
struct WordRoles: OptionSet, Sendable {
    let rawValue: UInt64

    /// Frau, Herr, Herrn, Familie, Ehepaar: a name may follow.
    static let title = WordRoles(rawValue: 1 << 0)
    /// Dr., Prof., med.: may stand between a title and a name.
    static let academic = WordRoles(rawValue: 1 << 1)
    /// Bürgermeisterin, Landrat, Sachbearbeiter: after "Frau"/"Herr" an office, not a name.
    static let function = WordRoles(rawValue: 1 << 2)
    /// Articles, possessives and other determiners.
    static let determiner = WordRoles(rawValue: 1 << 3)
    /// Determiners that make a following noun singular (ein, einem, der, dem, des, das…).
    static let singularDeterminer = WordRoles(rawValue: 1 << 4)
    /// A noun for one person in any case: Klientin, Mutter, Sohn, Kind.
    static let personSingular = WordRoles(rawValue: 1 << 5)
    /// A person noun ending in -e that is one person after a determiner ("die Betroffene"), many without.
    static let personE = WordRoles(rawValue: 1 << 6)
    /// A person noun that reads the same for one and many ("Schüler", "Syrer"): one person only after ein/der/dem/des.
    static let personER = WordRoles(rawValue: 1 << 7)
    /// er, ihm, ihn.
    static let pronounMasculine = WordRoles(rawValue: 1 << 8)
    /// sie: one person only before a verb in the singular ("sie ist").
    static let pronounSie = WordRoles(rawValue: 1 << 9)
    /// ist, hat, wird, lebt…: a verb form that says "sie" is one person.
    static let singularVerb = WordRoles(rawValue: 1 << 10)
    /// syrisch, afghanische…
    static let nationalityAdjective = WordRoles(rawValue: 1 << 11)
    /// Syrer, Afghanin, Kurdin…
    static let nationalityNoun = WordRoles(rawValue: 1 << 12)
    /// Syrien, Eritrea, Irak…
    static let country = WordRoles(rawValue: 1 << 13)
    /// aus ("aus Eritrea").
    static let from = WordRoles(rawValue: 1 << 14)
    /// Words that make a following number a limit or a span, not somebody's age: unter, über, ab, seit, alle…
    static let threshold = WordRoles(rawValue: 1 << 15)
    /// Words for health conditions (Art. 9 GDPR): HIV, Dialyse, Suizidversuch, schwanger…
    static let health = WordRoles(rawValue: 1 << 16)
    /// A health word that names a service, not a condition: Suchtberatung, Dialysezentrum.
    static let healthService = WordRoles(rawValue: 1 << 17)
    /// A word that ends a street name: Hauptstraße, Lindenallee, Marktplatz.
    static let street = WordRoles(rawValue: 1 << 18)
    /// A word ending in "str" (Hauptstr.), a street only before a full stop.
    static let streetAbbreviation = WordRoles(rawValue: 1 << 19)
    /// A road that is numbered, not a street with houses: Bundesstraße 8, Kreisstraße 29.
    static let numberedRoad = WordRoles(rawValue: 1 << 20)
    /// am, an, im, auf, zum, zur…: may start a street name ("Am Markt 3").
    static let streetPreposition = WordRoles(rawValue: 1 << 21)
    /// An office, a school, a counselling service: an address next to it is theirs, not a person's.
    static let institution = WordRoles(rawValue: 1 << 22)
    /// wohnt, Anschrift, Vermieter…: an address next to it is where somebody lives.
    static let residential = WordRoles(rawValue: 1 << 23)
    /// A word that counts a number before it (Monate, Fälle, Euro): the number is no house number and no age.
    static let unit = WordRoles(rawValue: 1 << 24)
    /// A noun of time or measure after "Am"/"Im" (Am Montag 3…, Im Schnitt 9…): no street.
    static let notStreetName = WordRoles(rawValue: 1 << 25)
    /// geb., geboren, Geburtsdatum, Jahrgang.
    static let birthMarker = WordRoles(rawValue: 1 << 26)
    /// Words that may stand between a birth marker and the date ("geboren am", "Geburtstag des Kindes:").
    static let birthFiller = WordRoles(rawValue: 1 << 27)
    /// Januar … Dezember and their abbreviations.
    static let month = WordRoles(rawValue: 1 << 28)
    /// A common first name: a capitalised word after it is likely a surname.
    static let firstName = WordRoles(rawValue: 1 << 29)
    /// A common noun: not a surname ("Familie Leistungen").
    static let commonNoun = WordRoles(rawValue: 1 << 30)
    /// Keywords that introduce a file or customer number: Az., Aktenzeichen, BG-Nummer, Kundennummer.
    static let fileKeyword = WordRoles(rawValue: 1 << 31)
    /// Keywords that introduce a tax id: Steuer-ID, IdNr., Identifikationsnummer.
    static let taxKeyword = WordRoles(rawValue: 1 << 32)
    /// Keywords that introduce a social or pension insurance number.
    static let socialKeyword = WordRoles(rawValue: 1 << 33)
    /// Keywords that introduce an AZR number.
    static let azrKeyword = WordRoles(rawValue: 1 << 34)
    /// Keywords that introduce an identity card, passport or residence permit number.
    static let identityKeyword = WordRoles(rawValue: 1 << 35)
    /// Keywords that introduce a phone number: Tel., Handy, Rufnummer.
    static let phoneKeyword = WordRoles(rawValue: 1 << 36)
    /// Nr., Nummer, lautet: may stand between a keyword and its number.
    static let numberWord = WordRoles(rawValue: 1 << 37)
    /// Servicenummer, Hotline, Zentrale: a phone number next to it belongs to an office.
    static let hotline = WordRoles(rawValue: 1 << 38)
    /// Diagnose, ICD, diagnostiziert: a code after it is a diagnosis.
    static let diagnosis = WordRoles(rawValue: 1 << 39)
    /// GdB (Grad der Behinderung).
    static let disabilityDegree = WordRoles(rawValue: 1 << 40)
    /// Pflegegrad, Pflegestufe.
    static let careLevel = WordRoles(rawValue: 1 << 41)
    /// Jahre (after a number: an age if a person is near).
    static let years = WordRoles(rawValue: 1 << 42)
    /// jährig, jährige, Jährige… (after "37-").
    static let yearsOld = WordRoles(rawValue: 1 << 43)
    /// Junge: a boy as a noun, an adjective ("junge Familien") otherwise.
    static let boy = WordRoles(rawValue: 1 << 44)
    /// A word that alone never starts a surname after a first name or title: und, oder, von…
    static let joiner = WordRoles(rawValue: 1 << 45)
    /// Grad (as in "Grad der Behinderung").
    static let degree = WordRoles(rawValue: 1 << 46)
    /// Behinderung.
    static let disability = WordRoles(rawValue: 1 << 47)
    /// Words of an ID keyword that need a following "ID"/"Nummer" (Steuer-ID): "Steuer".
    static let taxPrefix = WordRoles(rawValue: 1 << 48)
    /// ID, Id: a tax id only with eleven digits.
    static let idWord = WordRoles(rawValue: 1 << 49)
    /// jede, kein, alle, viele: a person noun after it is nobody in particular.
    static let quantifier = WordRoles(rawValue: 1 << 50)
    /// Familie, Ehepaar, Eheleute: a title for several persons, which an article does not turn into a plain noun.
    static let family = WordRoles(rawValue: 1 << 51)
    /// Short keywords (BG, SV, Kunden, Ausweis, ID…) that count only with "-Nr.", "Nummer" or a colon after them.
    static let weakKeyword = WordRoles(rawValue: 1 << 52)
    /// Mitte, Anfang, Ende: before a two-digit number near a person, an age ("Mitte 40").
    static let approximately = WordRoles(rawValue: 1 << 53)
}

/// Word lists as byte tries over lower-cased UTF-8: whole words, words starting with a stem, words ending with one.
///
/// Built once into a ``WordTable``, whose lookup walks a word's bytes once (at most ``maximumWordBytes``), so a text
/// costs the same whatever its words.
struct WordTrie: Sendable {
    /// Bytes beyond this are not compared: longer words match no whole word, only stems at their start and end.
    static let maximumWordBytes = 64

    /// Folds a UTF-8 byte into one of ``classCount`` classes: ASCII letters case-insensitively, the bytes of German
    /// umlauts and ß (upper and lower case alike), other lead and continuation bytes as two classes; 0 ends a word.
    static let byteClass: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 256)
        for byte in UInt8(ascii: "a")...UInt8(ascii: "z") {
            table[Int(byte)] = byte - UInt8(ascii: "a") + 1
            table[Int(byte - 32)] = byte - UInt8(ascii: "a") + 1
        }
        for byte in 0x80...0xBF { table[byte] = 32 }
        for byte in 0xC0...0xF7 { table[byte] = 33 }
        table[0xC3] = 27
        table[0xA4] = 28
        table[0x84] = 28  // ä Ä
        table[0xB6] = 29
        table[0x96] = 29  // ö Ö
        table[0xBC] = 30
        table[0x9C] = 30  // ü Ü
        table[0x9F] = 31  // ß
        return table
    }()
    static let classCount = 34

    /// What a node of the trie gives a word.
    struct Node {
        /// Roles of the word that is exactly the path to the node.
        var whole: WordRoles = []
        /// Roles of every word that starts (in the reversed trie: ends) with the path to the node, itself included.
        var stem: WordRoles = []
        /// Roles of every word longer than the path that starts (ends) with it: compounds only.
        var compound: WordRoles = []
    }

    private(set) var children: [Int32] = [Int32](repeating: 0, count: classCount)
    private(set) var nodes: [Node] = [Node()]
    let reversed: Bool

    init(reversed: Bool) { self.reversed = reversed }

    /// Adds a lower-case word or stem with the roles it gives.
    mutating func insert(
        _ word: String, whole wholeRoles: WordRoles = [], stem stemRoles: WordRoles = [], compound compoundRoles: WordRoles = []
    ) {
        var bytes = Array(word.utf8)
        if reversed { bytes.reverse() }
        var node = 0
        for byte in bytes {
            let byteClass = Int(Self.byteClass[Int(byte)])
            guard byteClass != 0 else { return }
            let slot = node * Self.classCount + byteClass
            if children[slot] == 0 {
                children[slot] = Int32(nodes.count)
                children += [Int32](repeating: 0, count: Self.classCount)
                nodes.append(Node())
            }
            node = Int(children[slot])
        }
        nodes[node].whole.formUnion(wholeRoles)
        nodes[node].stem.formUnion(stemRoles)
        nodes[node].compound.formUnion(compoundRoles)
    }

}

/// A finished ``WordTrie`` in memory that is never freed (the lexicon lives as long as the process), so looking a word
/// up costs no reference counting: the scanner does it for every word of a megabyte.
///
/// `@unchecked Sendable`: the memory is written once, when the table is made, and only read afterwards.
struct WordTable: @unchecked Sendable {
    private let children: UnsafePointer<Int32>
    private let nodes: UnsafePointer<WordTrie.Node>
    private let byteClass: UnsafePointer<UInt8>
    let reversed: Bool

    init(_ trie: WordTrie) {
        func immortal<Element>(_ array: [Element]) -> UnsafePointer<Element> {
            let memory = UnsafeMutablePointer<Element>.allocate(capacity: array.count)
            memory.initialize(from: array, count: array.count)
            return UnsafePointer(memory)
        }
        children = immortal(trie.children)
        nodes = immortal(trie.nodes)
        byteClass = immortal(WordTrie.byteClass)
        reversed = trie.reversed
    }

    /// The roles of the word in `bytes[range]`.
    func roles(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> WordRoles {
        var result: WordRoles = []
        var node = 0
        let length = range.count
        let steps = min(length, WordTrie.maximumWordBytes)
        for step in 0..<steps {
            let byte = bytes[reversed ? range.upperBound - 1 - step : range.lowerBound + step]
            let slot = Int(byteClass[Int(byte)])
            guard slot != 0 else { return result }
            node = Int(children[node * WordTrie.classCount + slot])
            guard node != 0 else { return result }
            result.formUnion(nodes[node].stem)
            if step < length - 1 { result.formUnion(nodes[node].compound) }
        }
        if steps == length { result.formUnion(nodes[node].whole) }
        return result
    }
}

/// The German words the scanner knows, by role.
enum PersonalDataLexicon {
    /// Whole words and stems at the start of words.
    static let forward = WordTable(forwardTrie)
    static let backward = WordTable(backwardTrie)

    private static let forwardTrie: WordTrie = {
        var trie = WordTrie(reversed: false)
        func add(_ words: String, _ roles: WordRoles) {
            for word in words.split(separator: " ") { trie.insert(String(word), whole: roles) }
        }
        func stems(_ words: String, _ roles: WordRoles) {
            for word in words.split(separator: " ") { trie.insert(String(word), stem: roles) }
        }
        add("frau herr herrn familie ehepaar eheleute geschwister fr hr hrn fam", .title)
        add("mitte anfang ende", .approximately)
        add("familie ehepaar eheleute geschwister fam", .family)
        add("jede jeder jedes jeden jedem kein keine keinen keinem keiner alle viele manche mehrere einige", .quantifier)
        add("kunden bg sv rv kd pass ausweis eat akte vorgang zeichen id", .weakKeyword)
        add("dr prof med dipl ing mag phil rer nat jur habil", .academic)
        add(
            "der die das den dem des ein eine einer einem einen eines kein keine keinen keinem keiner jede jeder jedes "
                + "jeden jedem diese dieser dieses diesen diesem mein meine meinem meinen meiner sein seine seinem seinen "
                + "seiner ihr ihre ihrem ihren ihrer unser unsere unserem unseren unserer euer eure welche welcher",
            .determiner)
        add(
            "ein einer einem einen eines der dem des das sein seinem seines mein meinem meines unserem unseres ihrem ihres",
            .singularDeterminer)
        add(
            "klient klientin kundin kunde mutter vater sohn tochter kind baby säugling ehemann ehefrau mann frau bruder "
                + "schwester enkelin enkel witwe witwer großmutter großvater oma opa patientin patient antragstellerin "
                + "teilnehmerin bewerberin schülerin mieterin bewohnerin person frühchen kleinkind neffe nichte partnerin "
                + "lebensgefährtin lebensgefährte cousine jugendlicher betroffener geflüchteter minderjähriger volljähriger "
                + "alleinerziehender flüchtling asylbewerberin auszubildender ratsuchender erwachsener leistungsberechtigter "
                + "stiefvater stiefmutter pflegekind adoptivkind ehepartnerin klientin kindesmutter kindsvater kindesvater "
                + "halbwaise waise enkelsohn enkeltochter schwiegertochter schwiegersohn schwiegermutter schwiegervater "
                + "familienvater familienmutter hausfrau rentner rentnerin einwohnerin arbeitnehmerin arbeitnehmer",
            .personSingular)
        add(
            "betroffene jugendliche geflüchtete alleinerziehende minderjährige volljährige erwachsene auszubildende "
                + "leistungsberechtigte ratsuchende schwangere kranke angehörige verstorbene",
            .personE)
        add(
            "schüler teilnehmer bewerber mieter bewohner antragsteller partner ehepartner mädchen klienten patienten kunden "
                + "asylbewerber",
            .personER)
        add("junge", .boy)
        add("er ihm ihn", .pronounMasculine)
        add("sie", .pronounSie)
        add(
            "ist hat wird kann muss darf soll will war hatte wurde lebt wohnt leidet bekommt erhält befindet braucht "
                + "benötigt spricht arbeitet geht kommt erscheint bleibt möchte konnte musste durfte sollte wollte",
            .singularVerb)
        stems(
            "syrisch afghanisch irakisch iranisch türkisch kurdisch eritreisch somalisch äthiopisch sudanesisch "
                + "südsudanesisch nigerianisch guineisch ghanaisch gambisch senegalesisch kamerunisch kongolesisch "
                + "ivorisch marokkanisch algerisch tunesisch libysch ägyptisch libanesisch palästinensisch jordanisch "
                + "jemenitisch pakistanisch indisch bangladeschisch srilankisch vietnamesisch chinesisch georgisch "
                + "armenisch aserbaidschanisch tschetschenisch russisch ukrainisch belarussisch moldauisch rumänisch "
                + "bulgarisch polnisch serbisch kosovarisch albanisch bosnisch kroatisch mazedonisch nordmazedonisch "
                + "montenegrinisch ungarisch griechisch italienisch spanisch portugiesisch venezolanisch kolumbianisch "
                + "brasilianisch jesidisch staatenlos philippinisch",
            .nationalityAdjective)
        let nationalitiesInER =
            "syrer iraker iraner eritreer somalier äthiopier nigerianer guineer ghanaer gambier kameruner marokkaner "
            + "algerier tunesier libyer ägypter palästinenser pakistaner inder georgier armenier aserbaidschaner ukrainer "
            + "moldauer albaner bosnier mazedonier italiener spanier libanesen"
        add(nationalitiesInER, [.nationalityNoun, .personER])
        add(
            "syrerin afghane afghanin irakerin iranerin türke türkin kurde kurdin eritreerin somalierin äthiopierin "
                + "sudanese sudanesin nigerianerin guineerin ghanaerin senegalese kamerunerin kongolese kongolesin "
                + "marokkanerin algerierin tunesierin ägypterin libanese libanesin palästinenserin jemenit pakistanerin "
                + "inderin vietnamese vietnamesin chinese chinesin georgierin armenierin tschetschene tschetschenin russe "
                + "russin ukrainerin belarusse rumäne rumänin bulgare bulgarin pole polin serbe serbin kosovare kosovarin "
                + "albanerin bosnierin kroate kroatin grieche griechin italienerin portugiese jeside jesidin staatsangehöriger "
                + "staatsangehörige staatenloser staatenlose",
            [.nationalityNoun, .personSingular])
        add(
            "syrien afghanistan irak iran türkei eritrea somalia äthiopien sudan südsudan nigeria guinea ghana gambia "
                + "senegal kamerun kongo elfenbeinküste mali marokko algerien tunesien libyen ägypten libanon palästina "
                + "jordanien jemen pakistan indien bangladesch vietnam china georgien armenien aserbaidschan tschetschenien "
                + "russland ukraine belarus moldau moldawien rumänien bulgarien polen serbien kosovo albanien bosnien "
                + "kroatien mazedonien nordmazedonien montenegro ungarn griechenland italien spanien portugal venezuela "
                + "kolumbien brasilien philippinen kabul aleppo damaskus bagdad mossul kandahar herat asmara mogadischu "
                + "teheran kiew charkiw odessa",
            .country)
        add("aus", .from)
        add(
            "unter über ab bis zwischen von seit vor nach für in innerhalb binnen als mit um zu rund ca circa etwa knapp "
                + "fast mehr weniger mindestens höchstens maximal alle viele mehrere älter jünger insgesamt je pro jeweils "
                + "durchschnittlich schnitt mittel zusammen",
            .threshold)
        add(
            "hiv aids dialyse dialysepflichtig suizidversuch suizid suizidal suizidgefährdet selbstmord selbstmordversuch "
                + "psychisch psychiatrisch psychose psychosen psychotisch depression depressionen depressiv schizophrenie "
                + "schizophren bipolar ptbs traumatisiert traumatisierung trauma krebs tumor chemotherapie bestrahlung "
                + "diabetes diabetiker diabetikerin insulin epilepsie epileptisch hepatitis tuberkulose tbc schwanger "
                + "schwangere schwangerschaft entbindung entbunden fehlgeburt frühgeburt totgeburt frühchen behinderung "
                + "schwerbehindert schwerbehinderte schwerbehinderter schwerbehinderung rollstuhl rollstuhlfahrer "
                + "rollstuhlfahrerin querschnittsgelähmt querschnittslähmung gelähmt lähmung blind erblindet gehörlos taub "
                + "sehbehindert hörgeschädigt autismus autistisch adhs trisomie demenz dement alzheimer parkinson "
                + "schlaganfall herzinfarkt herzoperation operiert nierenversagen transplantation amputiert asthma allergie "
                + "sucht süchtig alkoholabhängig alkoholkrank drogenabhängig heroinabhängig medikamentenabhängig "
                + "spielsüchtig alkoholsucht drogensucht spielsucht mediensucht heroinsucht alkoholsüchtig drogensüchtig "
                + "methadon substituiert entzug magersucht essstörung beatmet koma pflegebedürftig krank "
                + "krankgeschrieben arbeitsunfähig erkrankt erkrankung erkrankungen diagnostiziert syndrom multiple "
                + "sklerose mukoviszidose inkontinent logopädie merkzeichen wochenbettdepression angststörung "
                + "panikattacken neurodermitis bettlägerig arthrose neurose thrombose skoliose zirrhose osteoporose "
                + "endometriose fibromyalgie karzinom leukämie anämie inkontinenz operation operationen gehfähig "
                + "gehunfähig",
            .health)
        stems(
            "hiv dialyse suizid selbstmord psychiatr psychot depress schizophren ptbs posttraumat traumatis krebs "
                + "tumor chemotherap diabet epilep hepatitis tuberkulos schwanger entbind fehlgeburt frühgeburt "
                + "schwerbehindert körperbehindert mehrfachbehindert lernbehindert sehbehindert gehbehindert "
                + "hörbehindert rollstuhl querschnittsgelähm autis trisomie demenz alzheimer parkinson schlaganfall "
                + "herzinfarkt transplant amputi alkoholabhängig alkoholkrank drogenabhängig heroinabhängig "
                + "medikamentenabhängig suchterkrank suchtkrank suchtproblem erkrank diagnostizier pflegebedürftig "
                + "krankgeschrieben psychotherap "
                + "logopäd chemo leukämie aids methadon substitution bettläger",
            .health)
        add("diagnose diagnosen icd diagnostiziert", .diagnosis)
        add("gdb", .disabilityDegree)
        add("grad", .degree)
        add("behinderung", .disability)
        add("pflegegrad pflegestufe", .careLevel)
        add("jahre j", .years)
        stems("jährig", .yearsOld)
        add("am an im auf zum zur in unter hinter vor", .streetPreposition)
        add("bundesstraße kreisstraße landesstraße landstraße autobahn bundesautobahn", .numberedRoad)
        add(
            "rathaus kreishaus jobcenter ausländerbehörde agentur beratungsstelle sprechstunde geschäftsstelle caritas "
                + "diakonie awo drk vhs volkshochschule bürgerbüro sitz standort dienststelle verwaltung kreisverwaltung "
                + "stadtverwaltung gemeindeverwaltung träger integrationszentrum familienzentrum gesundheitsamt jugendamt "
                + "sozialamt bürgeramt landratsamt bezirksregierung bundesamt bamf kita schule gymnasium gesamtschule "
                + "realschule hauptschule grundschule berufskolleg universität hochschule klinik krankenhaus praxis "
                + "migrationsberatung jugendmigrationsdienst kreistag sitzungssaal landgericht sozialgericht amtsgericht",
            .institution)
        add(
            "wohnt wohnen wohnhaft lebt leben wohnung anschrift adresse meldeadresse gemeldet mieter mieterin vermieter "
                + "vermieterin umgezogen gezogen zieht zog zustellung briefkasten unterbringung untergebracht zuhause "
                + "wohnort wohnsitz postanschrift zimmer wohnen",
            .residential)
        add(
            "monate monaten wochen tage tagen jahre jahren fälle fällen personen kinder kindern plätze plätzen uhr euro "
                + "mal anträge anträgen familien stunden minuten prozent haushalte haushalten teilnehmende stellen kurse "
                + "kursen wochenstunden mitarbeitende betten jahrgänge einrichtungen kommunen schulen stimmen seiten "
                + "millionen tausend mio menschen frauen männer erwachsene jugendliche geflüchtete ue unterrichtseinheiten "
                + "monat woche tag jahr stunde punkte plätze",
            .unit)
        add(
            "montag dienstag mittwoch donnerstag freitag samstag sonnabend sonntag januar februar märz april mai juni juli "
                + "august september oktober november dezember ende anfang beginn mitte tag jahr stichtag wochenende "
                + "vormittag nachmittag abend morgen schnitt mittel durchschnitt vergleich rahmen kreis monat quartal "
                + "zeitraum vorjahr alter fall einzelfall kurs raum saal gebäude haus block bereich bezirk stadtteil "
                + "ortsteil termin semester schuljahr halbjahr jahresende monatsende sommer winter herbst frühjahr "
                + "frühling moment ergebnis gesamt mittelwert kreisgebiet land bund zeitpunkt augenblick",
            .notStreetName)
        add("geb geboren geburtsdatum geburtstag geburtsjahr jahrgang gebdatum geburtsdat", .birthMarker)
        add("am den vom des der ist lautet war datum kindes sohnes vaters klientin klienten mutter tochter im", .birthFiller)
        add(
            "januar februar märz maerz april mai juni juli august september oktober november dezember jan feb mär apr "
                + "jun jul aug sep sept okt nov dez",
            .month)
        add(firstNames, .firstName)
        add(
            "arbeit hilfe leistungen leistung geld unterstützung termine termin wohnung zeit post bescheid antwort "
                + "nachricht unterlagen kinder kind probleme problem schulden sorgen zugang platz plätze kurs kurse schule "
                + "kita deutsch sprache arbeitsstelle stelle ausbildung beratung betreuung förderung anerkennung "
                + "versicherung pflege miete kaution kosten mittel bedarf anspruch ablehnung zusage absage einladung "
                + "aufenthalt duldung erlaubnis titel pass ausweis papiere dokumente nachweise akte akten frist fristen "
                + "gruppe projektgruppe lenkungsgruppe geschäftsstelle koordination leitung verwaltung zentrale "
                + "sozialamt jobcenter ausländerbehörde agentur träger kasse krankenkasse familienkasse unterkunft "
                + "beschluss vorlage sitzung tagesordnung protokoll bericht rückmeldung kommentar hinweis frage anfrage "
                + "ergebnis lösung vorschlag maßnahme maßnahmen angebot angebote programm projekt fall fälle familie "
                + "familien mit und oder aus der die das im in am an auf zu",
            .commonNoun)
        add(
            "az aktenzeichen gz geschäftszeichen zeichen bg bedarfsgemeinschaft bedarfsgemeinschaftsnummer kundennummer "
                + "kunden kd kdnr vorgangsnummer vorgang fallnummer aktennummer antragsnummer personenkennziffer bgnr "
                + "versichertennummer mitgliedsnummer kindergeldnummer kindergeldnr",
            .fileKeyword)
        add("steuerid idnr identifikationsnummer steueridentifikationsnummer steuernummer tin steueridnr", .taxKeyword)
        add("steuer", .taxPrefix)
        add("id", .idWord)
        add(
            "rentenversicherungsnummer sozialversicherungsnummer versicherungsnummer sv svnr rv rvnr vsnr svn rvn",
            .socialKeyword)
        add("azr azrnummer azrnr ausländerzentralregisternummer ausländerzentralregister", .azrKeyword)
        add(
            "personalausweisnummer personalausweis ausweisnummer ausweis passnummer pass reisepass reisepassnummer "
                + "dokumentennummer seriennummer kartennummer eat aufenthaltstitel ankunftsnachweis fiktionsbescheinigung "
                + "passersatz passersatzpapier ersatzpapier ersatzpapiers ausweisersatz reiseausweis eatkartennummer duldung",
            .identityKeyword)
        add(
            "tel telefon telefonnummer handy handynummer mobil mobilnummer rufnummer rückrufnummer durchwahl festnetz fax "
                + "whatsapp telefonnr",
            .phoneKeyword)
        add("nr nummer no lautet ist nummern privat dienstlich geschäftlich direkt", .numberWord)
        add(
            "servicenummer hotline zentrale infotelefon bürgertelefon servicetelefon vermittlung service telefonzentrale "
                + "sperrnotruf",
            .hotline)
        add("und oder von vom bei mit für aus zu zur zum im in am an auf den dem der die das", .joiner)
        return trie
    }()

    /// Stems at the end of words.
    private static let backwardTrie: WordTrie = {
        var trie = WordTrie(reversed: true)
        func suffixes(_ words: String, _ roles: WordRoles) {
            for word in words.split(separator: " ") { trie.insert(String(word), stem: roles) }
        }
        func compounds(_ words: String, _ roles: WordRoles) {
            for word in words.split(separator: " ") { trie.insert(String(word), compound: roles) }
        }
        suffixes(
            "straße strasse weg allee platz gasse ring damm ufer pfad steig stieg chaussee markt graben wall kamp siedlung "
                + "promenade gässchen stiege postfach",
            .street)
        suffixes("str", .streetAbbreviation)
        suffixes("anschrift adresse", .residential)
        compounds(
            "meister meisterin leiter leiterin direktor direktorin präsident präsidentin minister ministerin vorsitzende "
                + "vorsitzender beauftragte beauftragter dezernent dezernentin referent referentin beigeordnete "
                + "beigeordneter abgeordnete abgeordneter kollege kollegin sachbearbeiter sachbearbeiterin koordinator "
                + "koordinatorin sprecher sprecherin rat rätin manager managerin berater beraterin",
            .function)
        suffixes(
            "bürgermeisterin bürgermeister landrat landrätin vorsitzende vorsitzender beigeordnete beigeordneter "
                + "kollegin kollege sachbearbeiterin sachbearbeiter doktor pfarrer pfarrerin richterin richter "
                + "rechtsanwältin rechtsanwalt anwältin anwalt ministerin minister präsidentin präsident direktorin direktor "
                + "leiterin leiter dezernentin dezernent professorin professor koordinatorin koordinator abgeordnete "
                + "staatssekretärin staatssekretär beauftragte beauftragter",
            .function)
        compounds(
            "krebs depression depressionen erkrankung erkrankungen behinderung behinderungen behindert behinderte "
                + "gelähmt lähmung syndrom therapie patient patientin patienten infarkt "
                + "entwicklungsstörung sprachstörung angststörung essstörung belastungsstörung persönlichkeitsstörung "
                + "verhaltensstörung diabetes tumor trauma geburt itis karzinom ämie",
            .health)
        compounds(
            "beratung beratungen beratungsstelle zentrum zentren praxis praxen klinik kliniken station stationen dienst "
                + "dienste stelle stellen amt ämter programm programme angebot angebote verband prävention ambulanz "
                + "netzwerk hilfe hilfen versorgung kasse kassen versicherung forschung medizin plan pläne gesetz "
                + "recht politik bericht berichte aufgabe",
            .healthService)
        compounds(
            "amt ämter behörde behörden zentrum zentren stelle haus schule schulen kita kitas büro verwaltung dienst "
                + "beratung agentur center verein bibliothek gericht klinik praxis ministerium kasse kammer gesellschaft "
                + "einrichtung",
            .institution)
        compounds(
            "ung ungen heit heiten keit keiten schaft schaften tion tionen ität itäten nis nisse plätze platz kurs kurse "
                + "geld antrag anträge leistungen hilfe hilfen unterlagen termine kinder gruppe gruppen",
            .commonNoun)
        return trie
    }()

    /// Local parts of e-mail addresses that name an office's mailbox, not a person.
    static let functionalMailboxes: Set<String> = [
        "info", "kontakt", "post", "poststelle", "service", "anmeldung", "beratung", "buero", "büro", "office", "team",
        "integration", "integrationskurse", "ki", "jobcenter", "auslaenderbehoerde", "verwaltung", "sekretariat",
        "zentrale", "presse", "noreply", "no-reply", "mail", "hilfe", "support", "fachdienst", "geschaeftsstelle",
        "lenkungsgruppe", "koordination", "kim", "vhs", "familienkasse", "sozialamt", "jugendamt", "bamf",
        "gesundheitsamt", "termine", "terminvergabe", "bewerbung", "redaktion", "datenschutz", "webmaster",
    ]

    /// Common first names of the people the KIM world meets, German and from the main countries of origin.
    static let firstNames =
        "anna maria sandra sabine petra andrea stefanie julia katharina christina monika claudia susanne nicole birgit "
        + "martina karin ursula ute heike anja kerstin silke tanja melanie laura lena lea sarah sara lisa hannah emma mia "
        + "sophie marie johanna thomas michael andreas stefan christian peter klaus jürgen frank markus martin wolfgang "
        + "uwe bernd dirk jan jens tobias daniel alexander florian sebastian matthias ralf holger sven torsten oliver "
        + "lukas jonas felix max paul leon tim niklas hans karl heinz dieter günter manfred helmut gerhard werner horst "
        + "rainer michaela simone gabriele angelika renate elke doris gisela brigitte ahmad ahmed mohammed mohammad "
        + "muhammad mohamed mahmoud mahmud ali omar umar hassan hussein husain khaled khalid yusuf youssef yousef "
        + "ibrahim ismail mustafa abdullah abdul karim rami samir tarek tariq walid bilal hamza amir anas jamal nabil "
        + "saeed salim fadi majd nour noor fatima fatma aisha ayesha mariam maryam leila leyla layla amina rania rana "
        + "lina hanan huda samira yasmin yasmina zainab zeynep reem salma heba ghada nadia nadja mehmet ahmet hüseyin "
        + "hasan murat emre burak cem serkan kemal osman yasin ayşe ayse emine hatice elif merve esra büşra özlem dilan "
        + "dilara berivan rojda şirin gülsüm songül sevgi derya ebru melek reza mehdi hossein farid jawad javad nasir "
        + "naser habib rahim zahra fereshteh shirin parisa nilofar mahsa sahar soraya farah roya shabnam nasrin wahid "
        + "sayed hamid masoud yonas yohannes tesfay tesfaye senait semhar selam mebrahtu abdi abdirahman hodan fadumo "
        + "halima idris ousmane mamadou moussa ibrahima aminata fatoumata kofi kwame chinedu olena olga oksana iryna "
        + "irina natalia natalja tetiana tatjana svitlana swetlana yulia julija kateryna anastasia viktoria halyna "
        + "larysa ludmila andrii andrij oleksandr olexandr serhii sergej sergei dmytro dmitri volodymyr wladimir mykola "
        + "nikolai ivan iwan yurii juri vasyl taras bohdan maksym igor vitali elena ioana andreea mihai ionut gheorghe "
        + "florin marius ivana milica dragan goran zoran nikola bekim arben dritan agim valentina katarzyna agnieszka "
        + "piotr krzysztof tomasz pawel linh minh hung tuan aylin emir can yusuf jusuf mehmed samer mazen firas "
        + "ammar ayman hadi hiba alaa aya lamia marwa rasha sawsan wafa dalia nawal"
}
