/// One word, number or sign of a text, as the personal-data scanner sees it.
struct ScannedToken {
    enum Kind: UInt8 {
        /// Letters only (any script).
        case word
        /// ASCII digits only.
        case number
        /// Letters and digits together: 5a, L01X00T47, DE89, 37jährige.
        case alnum
        /// One sign: punctuation, a symbol.
        case symbol
    }

    /// Whitespace before a token.
    enum Gap: UInt8, Comparable {
        case none, space, lineBreak
        static func < (lhs: Gap, rhs: Gap) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    private var storedStart: Int32
    private var storedEnd: Int32
    var roles: WordRoles = []
    var kind: Kind
    /// For symbols: the ASCII byte, or a stand-in for some others: `-` for every dash, `"` for every quotation mark,
    /// ``section`` for §, ``otherSymbol`` for the rest.
    var symbol: UInt8 = 0
    var gap: Gap
    private var flags: UInt8 = 0
    private var storedDigits: UInt16 = 0
    private var storedLetters: UInt16 = 0

    /// A token of `kind` at the bytes `start..<end` (offsets below 2³¹: the scanner reads no more).
    init(start: Int, end: Int, kind: Kind, symbol: UInt8 = 0, gap: Gap) {
        storedStart = Int32(truncatingIfNeeded: start)
        storedEnd = Int32(truncatingIfNeeded: end)
        self.kind = kind
        self.symbol = symbol
        self.gap = gap
    }

    var start: Int { Int(storedStart) }
    var end: Int { Int(storedEnd) }
    /// How many ASCII digits (at most 65,535 are counted).
    var digits: Int {
        get { Int(storedDigits) }
        set { storedDigits = UInt16(clamping: newValue) }
    }
    /// How many letters (at most 65,535 are counted).
    var letters: Int {
        get { Int(storedLetters) }
        set { storedLetters = UInt16(clamping: newValue) }
    }
    /// The first letter is an upper-case letter.
    var isCapitalised: Bool {
        get { flags & 1 != 0 }
        set { flags = newValue ? flags | 1 : flags & ~1 }
    }
    /// Every ASCII letter is upper case and there is one at least.
    var isAllUpper: Bool {
        get { flags & 2 != 0 }
        set { flags = newValue ? flags | 2 : flags & ~2 }
    }

    static let section: UInt8 = 0xA7
    static let otherSymbol: UInt8 = 0x01
}

/// Finds text that looks like personal data in one pass over the UTF-8 bytes and a few passes over the tokens.
///
/// Every rule looks at a bounded window of tokens around the token that triggers it, and every run it follows is
/// capped (a phone number at 16 digits, an e-mail address at 64 + 255 bytes, a date at seven tokens), so the time is
/// linear in the length of the text whatever its shape; nothing backtracks.
struct PersonalDataScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    private(set) var tokens: [ScannedToken] = []
    private(set) var matches: [PersonalDataGuard.Match] = []
    /// The tokens that refer to one person (a name, "die Klientin", "er"), in order: health and age words need one near.
    private var persons: [Int] = []
    /// The tokens each rule starts at, collected while reading, so that no rule walks all tokens.
    private var numbers: [Int] = []
    private var atSigns: [Int] = []
    private var phoneStarts: [Int] = []
    private var stars: [Int] = []
    private var keywords: [Int] = []
    private var healthWords: [Int] = []
    private var capitalised: [Int] = []
    private var personWords: [Int] = []

    private let forward = PersonalDataLexicon.forward
    private let backward = PersonalDataLexicon.backward

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// What in `text` looks like personal data, in text order; overlapping stretches are reported once.
    static func matches(in text: String) -> [PersonalDataGuard.Match] {
        var copy = text
        return copy.withUTF8 { whole in
            // Token offsets are 32-bit: a value of 2 GB or more is read up to there.
            let buffer = whole.count < Int(Int32.max) ? whole : UnsafeBufferPointer(rebasing: whole.prefix(Int(Int32.max) - 4))
            var scanner = PersonalDataScanner(buffer)
            scanner.run()
            return scanner.resolved()
        }
    }

    mutating func run() {
        tokenize()
        markPersons()
        findNames()
        persons = Array(Set(persons)).sorted()
        findEMailAddresses()
        findIBANs()
        findKeywordNumbers()
        findNumberShapes()
        findPhoneNumbers()
        findBirthDates()
        findAddresses()
        findAges()
        findHealthData()
    }

    // MARK: - Tokens

    private mutating func tokenize() {
        let count = bytes.count
        tokens.reserveCapacity(count + 1)
        numbers.reserveCapacity(count / 16)
        var index = 0
        var gap = ScannedToken.Gap.none
        while index < count {
            let byte = bytes[index]
            if byte < 0x80 {
                if Self.isASCIIAlphanumeric(byte) {
                    index = word(from: index, gap: gap)
                    gap = .none
                    continue
                }
                switch byte {
                case 0x20, 0x09, 0x0B, 0x0C: gap = max(gap, .space)
                case 0x0A, 0x0D: gap = .lineBreak
                case 0x00..<0x20, 0x7F: gap = max(gap, .space)
                default:
                    append(ScannedToken(start: index, end: index + 1, kind: .symbol, symbol: byte, gap: gap))
                    gap = .none
                }
                index += 1
                continue
            }
            let (scalar, length) = Self.decode(bytes, at: index)
            switch Self.classify(scalar) {
            case .space: gap = max(gap, .space)
            case .lineBreak: gap = .lineBreak
            case .symbol(let stand):
                append(ScannedToken(start: index, end: index + length, kind: .symbol, symbol: stand, gap: gap))
                gap = .none
            case .letter:
                index = word(from: index, gap: gap)
                gap = .none
                continue
            }
            index += length
        }
    }

    /// Keeps a token and notes which rules start at it.
    private mutating func append(_ token: ScannedToken) {
        let index = tokens.count
        tokens.append(token)
        switch token.kind {
        case .symbol:
            switch token.symbol {
            case UInt8(ascii: "@"): atSigns.append(index)
            case UInt8(ascii: "+"), UInt8(ascii: "("): phoneStarts.append(index)
            case UInt8(ascii: "*"): stars.append(index)
            default: break
            }
        case .number, .alnum:
            numbers.append(index)
            if token.kind == .number && bytes[token.start] == UInt8(ascii: "0") { phoneStarts.append(index) }
        case .word:
            let roles = token.roles
            if !roles.isDisjoint(with: Self.keywordRoles) { keywords.append(index) }
            if !roles.isDisjoint(with: Self.healthRoles) { healthWords.append(index) }
            if !roles.isDisjoint(with: Self.personRoles) { personWords.append(index) }
            if token.isCapitalised && !roles.isDisjoint(with: [.title, .firstName]) { capitalised.append(index) }
        }
    }

    static let keywordRoles: WordRoles = [
        .fileKeyword, .taxKeyword, .socialKeyword, .azrKeyword, .identityKeyword, .phoneKeyword, .taxPrefix, .idWord, .birthMarker,
    ]
    static let healthRoles: WordRoles = [.health, .diagnosis, .disabilityDegree, .careLevel, .degree]
    static let personRoles: WordRoles = [.personSingular, .personE, .personER, .boy, .pronounMasculine, .pronounSie]

    /// Reads a run of letters and digits starting at `start` as one token and returns where it ends.
    private mutating func word(from start: Int, gap: ScannedToken.Gap) -> Int {
        var index = start
        var digits = 0
        var letters = 0
        var upperLetters = 0
        var firstDigitsEnd = -1
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            if byte < 0x80 {
                if byte >= 0x30 && byte <= 0x39 {
                    digits += 1
                } else if Self.isASCIILetter(byte) {
                    if firstDigitsEnd < 0 { firstDigitsEnd = index }
                    letters += 1
                    if byte < 0x61 { upperLetters += 1 }
                } else {
                    break
                }
                index += 1
                continue
            }
            let (scalar, length) = Self.decode(bytes, at: index)
            guard case .letter = Self.classify(scalar) else { break }
            if firstDigitsEnd < 0 { firstDigitsEnd = index }
            letters += 1
            index += length
        }
        var token = ScannedToken(start: start, end: index, kind: .word, gap: gap)
        token.digits = digits
        token.letters = letters
        token.isAllUpper = upperLetters > 0 && upperLetters == letters
        if digits == 0 {
            token.kind = .word
            token.isCapitalised = Self.isUpperCase(bytes, at: start)
            token.roles = forward.roles(bytes, start..<index).union(backward.roles(bytes, start..<index))
        } else if letters == 0 {
            token.kind = .number
        } else {
            token.kind = .alnum
            token.isCapitalised = Self.isUpperCase(bytes, at: start)
            // "37jährige": the letters after leading digits have the roles of a word of their own.
            if firstDigitsEnd > start, !bytes[firstDigitsEnd..<index].contains(where: { $0 >= 0x30 && $0 <= 0x39 }) {
                token.roles = forward.roles(bytes, firstDigitsEnd..<index).union(backward.roles(bytes, firstDigitsEnd..<index))
            }
        }
        append(token)
        return index
    }

    enum ScalarClass {
        case letter, space, lineBreak
        case symbol(UInt8)
    }

    static func isASCIILetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A }
    static func isASCIIAlphanumeric(_ byte: UInt8) -> Bool { isASCIILetter(byte) || (byte >= 0x30 && byte <= 0x39) }

    /// The scalar at `index` and its length in bytes; a malformed sequence is U+FFFD of one byte.
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (UInt32, Int) {
        let lead = bytes[index]
        let length: Int
        var value: UInt32
        switch lead {
        case 0xC2...0xDF: (length, value) = (2, UInt32(lead & 0x1F))
        case 0xE0...0xEF: (length, value) = (3, UInt32(lead & 0x0F))
        case 0xF0...0xF4: (length, value) = (4, UInt32(lead & 0x07))
        default: return (0xFFFD, 1)
        }
        guard index + length <= bytes.count else { return (0xFFFD, 1) }
        for offset in 1..<length {
            let next = bytes[index + offset]
            guard next & 0xC0 == 0x80 else { return (0xFFFD, 1) }
            value = value << 6 | UInt32(next & 0x3F)
        }
        return (value, length)
    }

    /// Non-ASCII scalars: Unicode spaces and invisible marks separate words (so they cannot hide a number or a name),
    /// dashes and quotation marks are signs, and everything else, in any script, is a letter.
    static func classify(_ scalar: UInt32) -> ScalarClass {
        switch scalar {
        case 0x85, 0x2028, 0x2029: return .lineBreak
        case 0xA0, 0x1680, 0x2000...0x200F, 0x202F, 0x205F, 0x3000, 0xAD, 0x2060...0x206F, 0xFEFF, 0x202A...0x202E, 0x061C,
            0x180E:
            return .space
        case 0x2010...0x2015, 0x2212, 0xFE58, 0xFE63, 0xFF0D: return .symbol(UInt8(ascii: "-"))
        case 0x2018...0x201F, 0xAB, 0xBB, 0x2039, 0x203A: return .symbol(UInt8(ascii: "\""))
        case 0xA7: return .symbol(ScannedToken.section)
        case 0xA1...0xBF, 0xD7, 0xF7, 0x2016...0x2017, 0x2020...0x2027, 0x2030...0x205E, 0x20A0...0x20CF, 0x2100...0x2BFF,
            0x3001...0x3003, 0x3008...0x3011, 0xFF01...0xFF0F, 0xFF1A...0xFF20, 0xFFFD:
            return .symbol(ScannedToken.otherSymbol)
        default: return .letter
        }
    }

    /// Whether the letter at `index` is upper case: ASCII, Latin-1, Latin Extended-A, Greek and Cyrillic.
    static func isUpperCase(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        let lead = bytes[index]
        if lead < 0x80 { return lead >= 0x41 && lead <= 0x5A }
        let (scalar, _) = decode(bytes, at: index)
        switch scalar {
        case 0xC0...0xDE: return scalar != 0xD7
        case 0x100...0x137, 0x14A...0x177: return scalar % 2 == 0
        case 0x139...0x148, 0x179...0x17E: return scalar % 2 == 1
        case 0x178: return true
        case 0x391...0x3A9, 0x400...0x42F: return true
        default: return false
        }
    }

    // MARK: - Token tests

    private func isWord(_ index: Int, _ roles: WordRoles) -> Bool {
        index >= 0 && index < tokens.count && tokens[index].kind == .word && !tokens[index].roles.isDisjoint(with: roles)
    }

    /// Whether the token at `index` is the sign `symbol` (an ASCII sign, or § for ``ScannedToken/section``).
    private func isSymbol(_ index: Int, _ symbol: Unicode.Scalar) -> Bool {
        index >= 0 && index < tokens.count && tokens[index].kind == .symbol && UInt32(tokens[index].symbol) == symbol.value
    }

    private func isNumber(_ index: Int) -> Bool { index >= 0 && index < tokens.count && tokens[index].kind == .number }

    /// The value of a number token of at most nine digits.
    private func value(_ index: Int) -> Int? {
        guard isNumber(index), tokens[index].digits <= 9 else { return nil }
        var result = 0
        for byte in bytes[tokens[index].start..<tokens[index].end] { result = result * 10 + Int(byte - 0x30) }
        return result
    }

    private func firstByte(_ index: Int) -> UInt8 { bytes[tokens[index].start] }

    /// Whether a token ends with `suffix` (lower-case ASCII), ignoring case: for endings like "er".
    private func ends(_ index: Int, with suffix: StaticString) -> Bool {
        let token = tokens[index]
        let count = suffix.utf8CodeUnitCount
        guard Int(token.end - token.start) >= count else { return false }
        return suffix.withUTF8Buffer { tail in
            for offset in 0..<count where bytes[Int(token.end) - count + offset] | 0x20 != tail[offset] { return false }
            return true
        }
    }

    private func any(_ range: ClosedRange<Int>, _ roles: WordRoles) -> Bool {
        let low = max(0, range.lowerBound)
        let high = min(tokens.count - 1, range.upperBound)
        guard low <= high else { return false }
        return (low...high).contains { isWord($0, roles) }
    }

    private func personNear(_ range: ClosedRange<Int>) -> Bool {
        let low = max(0, range.lowerBound)
        let high = min(tokens.count - 1, range.upperBound)
        guard low <= high else { return false }
        // The first person at or after `low`, by binary search.
        var lower = 0
        var upper = persons.count
        while lower < upper {
            let middle = (lower + upper) / 2
            if persons[middle] < low { lower = middle + 1 } else { upper = middle }
        }
        return lower < persons.count && persons[lower] <= high
    }

    private func isPerson(_ index: Int) -> Bool { personNear(index...index) }

    /// A single capital letter followed by a full stop: an initial ("A.").
    private func isInitial(_ index: Int) -> Bool {
        index + 1 < tokens.count && tokens[index].kind == .word && tokens[index].letters == 1 && tokens[index].isCapitalised
            && isSymbol(index + 1, ".")
    }

    private mutating func add(_ category: PersonalDataGuard.Category, _ first: Int, _ last: Int) {
        guard first <= last, first >= 0, last < tokens.count else { return }
        matches.append(PersonalDataGuard.Match(category: category, range: tokens[first].start..<tokens[last].end))
    }

    // MARK: - Persons

    /// Marks the tokens that refer to one person: singular person nouns, "die Betroffene", "ein Schüler", "er",
    /// "sie ist".
    private mutating func markPersons() {
        for index in personWords where tokens[index].kind == .word {
            let roles = tokens[index].roles
            if roles.contains(.personSingular) {
                if !isQuantified(before: index) { persons.append(index) }
            } else if roles.contains(.personE) {
                if let determiner = determiner(before: index), !tokens[determiner].roles.contains(.quantifier) {
                    persons.append(index)
                }
            } else if roles.contains(.personER) || (roles.contains(.boy) && tokens[index].isCapitalised) {
                if let determiner = determiner(before: index), tokens[determiner].roles.contains(.singularDeterminer) {
                    persons.append(index)
                }
            } else if roles.contains(.pronounMasculine) {
                persons.append(index)
            } else if roles.contains(.pronounSie) && isWord(index + 1, .singularVerb) {
                persons.append(index)
            }
        }
    }

    /// The determiner before a noun, skipping up to two lower-case adjectives ("eine alleinerziehende Mutter", "der
    /// 58-jährige Iraker").
    private func determiner(before index: Int) -> Int? {
        var position = index - 1
        var skipped = 0
        while position >= 0, tokens[position].kind == .word || tokens[position].kind == .alnum {
            if tokens[position].roles.contains(.determiner) { return position }
            guard !tokens[position].isCapitalised, skipped < 2 else { return nil }
            skipped += 1
            if tokens[position].roles.contains(.yearsOld), isSymbol(position - 1, "-"), isNumber(position - 2) {
                position -= 3
            } else {
                position -= 1
            }
        }
        return nil
    }

    private func isQuantified(before index: Int) -> Bool {
        determiner(before: index).map { tokens[$0].roles.contains(.quantifier) } ?? false
    }

    /// A capitalised word that can be a surname: not a noun, office, title or function word the lexicon knows.
    private func isSurname(_ index: Int) -> Bool {
        guard index < tokens.count else { return false }
        let token = tokens[index]
        guard token.kind == .word, token.isCapitalised, token.gap == .space, token.end - token.start >= 2 else { return false }
        guard !(token.isAllUpper && token.letters > 1) else { return false }
        let excluded: WordRoles = [
            .function, .commonNoun, .determiner, .title, .academic, .institution, .joiner, .month, .personSingular, .personE,
            .personER, .country, .nationalityNoun, .unit, .notStreetName, .street, .singularVerb, .threshold,
            .streetPreposition,
        ]
        return token.roles.isDisjoint(with: excluded)
    }

    /// The last token of a surname starting at `index`, following hyphens ("Schulte-Brinkmann", "Al-Hassan").
    private func surnameEnd(_ index: Int) -> Int {
        var last = index
        for _ in 0..<3 {
            guard isSymbol(last + 1, "-"), last + 2 < tokens.count, tokens[last + 1].gap == .none, tokens[last + 2].gap == .none,
                tokens[last + 2].kind == .word, tokens[last + 2].isCapitalised
            else { break }
            last += 2
        }
        return last
    }

    /// Persons named by a title ("Frau Karimi", "Herrn Yilmaz", "Familie Yilmaz", "Herr A. K.", "Frau Dr. Schmidt")
    /// or by a first name the lexicon knows and a surname ("Ahmad Karimi").
    private mutating func findNames() {
        for index in capitalised {
            let roles = tokens[index].roles
            if roles.contains(.title) { nameAfterTitle(index) }
            if roles.contains(.firstName) && !isSymbol(index - 1, "-") && isSurname(index + 1) {
                let last = surnameEnd(index + 1)
                add(.namedPerson, index, last)
                persons += index...last
            }
        }
    }

    private mutating func nameAfterTitle(_ title: Int) {
        let isFamily = tokens[title].roles.contains(.family)
        // "eine Frau", "der jungen Frau": a noun, not a title.
        if !isFamily, title > 0, tokens[title - 1].kind == .word, !tokens[title - 1].isCapitalised {
            if tokens[title - 1].roles.contains(.determiner) || ends(title - 1, with: "e") || ends(title - 1, with: "en") { return }
        }
        if !isFamily, title > 0, tokens[title - 1].kind == .word, tokens[title - 1].roles.contains(.determiner) { return }
        var next = title + 1
        if tokens[title].end - tokens[title].start <= 3 && isSymbol(next, ".") { next += 1 }
        for _ in 0..<4 {
            guard isWord(next, .academic) else { break }
            next += 1
            if isSymbol(next, ".") { next += 1 }
            if isSymbol(next, "-"), isWord(next + 1, .academic) { next += 1 }
        }
        guard next < tokens.count else { return }
        var last: Int
        if isInitial(next) && tokens[next].gap != .lineBreak {
            last = next + 1
            if isInitial(last + 1) { last += 2 }
        } else if isSurname(next) {
            last = surnameEnd(next)
        } else {
            return
        }
        add(.namedPerson, title, last)
        persons += title...last
    }

    // MARK: - E-mail addresses and IBANs

    private mutating func findEMailAddresses() {
        for index in atSigns {
            let at = tokens[index].start
            var localStart = at
            while localStart > 0, at - localStart < 64, Self.isLocalPartByte(bytes[localStart - 1]) { localStart -= 1 }
            while localStart < at, bytes[localStart] == UInt8(ascii: ".") { localStart += 1 }
            var domainEnd = at + 1
            while domainEnd < bytes.count, domainEnd - at <= 255, Self.isDomainByte(bytes[domainEnd]) { domainEnd += 1 }
            while domainEnd > at + 1, bytes[domainEnd - 1] == UInt8(ascii: ".") || bytes[domainEnd - 1] == UInt8(ascii: "-") {
                domainEnd -= 1
            }
            guard localStart < at, let lastDot = bytes[(at + 1)..<domainEnd].lastIndex(of: UInt8(ascii: ".")), lastDot > at + 1,
                domainEnd - lastDot > 2, bytes[(lastDot + 1)..<domainEnd].allSatisfy({ Self.isASCIILetter($0) || $0 >= 0x80 })
            else { continue }
            let local = String(decoding: bytes[localStart..<at], as: UTF8.self).lowercased()
            guard !PersonalDataLexicon.functionalMailboxes.contains(local) else { continue }
            matches.append(PersonalDataGuard.Match(category: .email, range: localStart..<domainEnd))
        }
    }

    private static func isLocalPartByte(_ byte: UInt8) -> Bool {
        isASCIIAlphanumeric(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "%")
            || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") || byte >= 0x80
    }

    private static func isDomainByte(_ byte: UInt8) -> Bool {
        isASCIIAlphanumeric(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-") || byte >= 0x80
    }

    /// "DE89 3704 0044 0532 0130 00" or "DE02120300000000202051": two capital letters, two digits, then up to 30
    /// letters and digits, in groups of four or in one run.
    private mutating func findIBANs() {
        var done = -1
        for index in numbers where index > done {
            let token = tokens[index]
            guard token.kind == .alnum, token.end - token.start >= 4, Self.isUpperASCII(bytes[token.start]),
                Self.isUpperASCII(bytes[token.start + 1]), Self.isDigit(bytes[token.start + 2]), Self.isDigit(bytes[token.start + 3]),
                bytes[token.start..<token.end].allSatisfy({ Self.isDigit($0) || Self.isUpperASCII($0) })
            else { continue }
            var length = token.end - token.start
            var digits = token.digits
            var last = index
            while length < 34, last + 1 < tokens.count {
                let next = tokens[last + 1]
                guard next.gap == .space, next.kind == .number || next.kind == .alnum, next.end - next.start <= 4,
                    bytes[next.start..<next.end].allSatisfy({ Self.isDigit($0) || Self.isUpperASCII($0) })
                else { break }
                length += next.end - next.start
                digits += next.digits
                last += 1
            }
            guard (15...34).contains(length), digits >= 10 else { continue }
            add(.iban, index, last)
            done = last
        }
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
    static func isUpperASCII(_ byte: UInt8) -> Bool { byte >= 0x41 && byte <= 0x5A }

    // MARK: - Numbers after a keyword

    /// "Az. 51.2-123/2026", "Steuer-ID 12 345 678 901", "AZR-Nr. 1234 5678 9012", "Ausweis-Nr. T22000129", "Tel. …".
    private mutating func findKeywordNumbers() {
        let keywords: WordRoles = [
            .fileKeyword, .taxKeyword, .socialKeyword, .azrKeyword, .identityKeyword, .phoneKeyword, .taxPrefix, .idWord,
        ]
        for index in self.keywords where isWord(index, keywords) {
            let roles = tokens[index].roles
            var position = index + 1
            var category: PersonalDataGuard.Category
            if roles.contains(.azrKeyword) {
                category = .azrNumber
            } else if roles.contains(.socialKeyword) {
                category = .socialInsuranceNumber
            } else if roles.contains(.taxKeyword) {
                category = .taxID
            } else if roles.contains(.identityKeyword) {
                category = .identityDocument
            } else if roles.contains(.fileKeyword) {
                category = .fileNumber
            } else if roles.contains(.phoneKeyword) {
                category = .phone
            } else if roles.contains(.taxPrefix) {
                // "Steuer-ID", "Steuer-IdNr", "Steuer-Nr.": "Steuer" alone is no keyword.
                guard isSymbol(position, "-"), isWord(position + 1, [.idWord, .taxKeyword, .numberWord]) else { continue }
                category = .taxID
                position += 2
            } else {
                category = .taxID
            }
            // Short keywords (BG, SV, Kunden, Ausweis, ID…) count only with "-Nr", "Nummer" or a colon after them.
            if roles.contains(.weakKeyword) && !roles.contains(.taxPrefix) {
                var look = position
                if isSymbol(look, ".") { look += 1 }
                if isSymbol(look, "-") { look += 1 }
                if isSymbol(look, "(") { look += 1 }
                guard isWord(look, [.numberWord, .fileKeyword, .identityKeyword, .taxKeyword, .socialKeyword]) || isSymbol(look, ":")
                else { continue }
            }
            guard let (first, last, digits, letters) = keywordValue(after: position) else { continue }
            let accepted: Bool
            switch category {
            case .fileNumber: accepted = digits >= 3
            case .taxID: accepted = roles.contains(.idWord) && !roles.contains(.taxKeyword) ? digits == 11 : (10...13).contains(digits)
            case .socialInsuranceNumber: accepted = digits >= 9 || (digits >= 8 && letters == 1)
            case .azrNumber: accepted = digits >= 8
            case .identityDocument:
                let single = first == last && tokens[first].end - tokens[first].start >= 6
                accepted = (single && digits >= 2) || digits >= 6
            default: accepted = digits >= 5
            }
            guard accepted else { continue }
            add(category, index, last)
        }
    }

    /// The number after a keyword: skips signs, "Nr.", "lautet" and one genitive ("der Ausländerbehörde"), then takes
    /// numbers, codes and short capitals joined by `.`, `-`, `/` or single spaces. Nil when there is none.
    private func keywordValue(after start: Int) -> (first: Int, last: Int, digits: Int, letters: Int)? {
        var position = start
        var words = 0
        for _ in 0..<8 {
            guard position < tokens.count, tokens[position].gap != .lineBreak || position == start else { return nil }
            let token = tokens[position]
            if token.kind == .symbol {
                guard ".:(-#=".utf8.contains(token.symbol) else { return nil }
                position += 1
            } else if token.kind == .word {
                if token.roles.contains(.numberWord)
                    || !token.roles.isDisjoint(with: [.fileKeyword, .identityKeyword, .taxKeyword, .socialKeyword, .azrKeyword, .idWord])
                {
                    position += 1
                } else if token.roles.contains(.determiner) && words == 0 && position + 1 < tokens.count
                    && tokens[position + 1].kind == .word && tokens[position + 1].isCapitalised
                {
                    position += 2
                    words += 1
                } else if token.letters <= 3 && token.isAllUpper && isNumber(position + 1) {
                    break
                } else {
                    return nil
                }
            } else {
                break
            }
        }
        guard position < tokens.count, tokens[position].kind != .symbol, tokens[position].kind != .word || tokens[position].isAllUpper
        else {
            return nil
        }
        if position > 0, tokens[position - 1].kind == .symbol, tokens[position - 1].symbol == ScannedToken.section { return nil }
        var last = position
        var digits = tokens[position].digits
        var letters = tokens[position].letters
        var next = position + 1
        for _ in 0..<12 {
            guard next < tokens.count, tokens[next].gap != .lineBreak else { break }
            let token = tokens[next]
            if token.kind == .symbol, token.gap == .none, ".-/".utf8.contains(token.symbol), next + 1 < tokens.count,
                tokens[next + 1].gap == .none, tokens[next + 1].kind == .number || tokens[next + 1].kind == .alnum
            {
                next += 1
                continue
            }
            let isPart =
                token.kind == .number || token.kind == .alnum
                || (token.kind == .word && token.isAllUpper && token.letters <= 3 && isNumber(next + 1))
                || (token.kind == .word && token.isAllUpper && token.letters == 1 && isNumber(next - 1))
            guard isPart, token.gap != .lineBreak else { break }
            digits += token.digits
            letters += token.letters
            last = next
            next += 1
        }
        return (position, last, digits, letters)
    }

    // MARK: - Numbers by their shape

    /// Social insurance numbers ("12 030585 M 123", "65170839J003"), BG numbers ("12345BG0012345"), customer numbers of
    /// the employment agency ("123D456789"), German document numbers ("L01X00T47") and long runs of digits.
    private mutating func findNumberShapes() {
        for index in numbers {
            let token = tokens[index]
            let length = token.end - token.start
            if token.kind == .number && token.digits == 2, isNumber(index + 1), tokens[index + 1].digits == 6,
                tokens[index + 1].gap == .space, index + 3 < tokens.count, tokens[index + 2].kind == .word,
                tokens[index + 2].letters == 1, tokens[index + 2].isAllUpper, tokens[index + 2].gap == .space,
                isNumber(index + 3), tokens[index + 3].digits == 3, tokens[index + 3].gap == .space,
                isBirthDatePart(tokens[index + 1].start)
            {
                add(.socialInsuranceNumber, index, index + 3)
                continue
            }
            guard token.kind == .alnum || token.kind == .number else { continue }
            let shape = bytes[token.start..<token.end]
            if token.kind == .alnum && length == 12 && shape.prefix(8).allSatisfy(Self.isDigit)
                && Self.isUpperASCII(shape[token.start + 8]) && shape.suffix(3).allSatisfy(Self.isDigit)
                && isBirthDatePart(token.start + 2)
            {
                add(.socialInsuranceNumber, index, index)
            } else if token.kind == .alnum && length == 14 && shape.prefix(5).allSatisfy(Self.isDigit)
                && shape[token.start + 5] == UInt8(ascii: "B") && shape[token.start + 6] == UInt8(ascii: "G")
                && shape.suffix(7).allSatisfy(Self.isDigit)
            {
                add(.fileNumber, index, index)
            } else if token.kind == .alnum && length == 11 && shape.prefix(3).allSatisfy(Self.isDigit)
                && shape[token.start + 3] == UInt8(ascii: "F") && shape[token.start + 4] == UInt8(ascii: "K")
                && shape.suffix(6).allSatisfy(Self.isDigit)
            {
                // A child benefit number of the Familienkasse: 215FK123456.
                add(.fileNumber, index, index)
            } else if token.kind == .alnum && length == 10 && shape.prefix(3).allSatisfy(Self.isDigit)
                && Self.isUpperASCII(shape[token.start + 3]) && shape.suffix(6).allSatisfy(Self.isDigit)
            {
                add(.fileNumber, index, index)
            } else if token.kind == .alnum && (length == 9 || length == 10) && token.digits >= 3
                && Self.documentLetters.contains(shape[token.start])
                && shape.allSatisfy({ Self.isDigit($0) || Self.documentLetters.contains($0) })
            {
                add(.identityDocument, index, index)
            } else if token.kind == .number && (9...20).contains(token.digits) && bytes[token.start] != UInt8(ascii: "0")
                && !isSymbol(index - 1, ".") && !isSymbol(index + 1, ".") && !isSymbol(index - 1, ",") && !isSymbol(index + 1, ",")
            {
                add(token.digits == 11 ? .taxID : token.digits == 12 ? .azrNumber : .fileNumber, index, index)
            }
        }
    }

    /// The letters of German passport, identity card and residence permit numbers (no vowels, no B, D, Q, S).
    static let documentLetters: Set<UInt8> = Set("CFGHJKLMNPRTVWXYZ".utf8)

    /// Whether the six digits at `offset` can be a date DDMMYY (day 1–31, or +50 as in social insurance numbers).
    private func isBirthDatePart(_ offset: Int) -> Bool {
        guard offset + 6 <= bytes.count, bytes[offset..<offset + 6].allSatisfy(Self.isDigit) else { return false }
        let day = Int(bytes[offset] - 0x30) * 10 + Int(bytes[offset + 1] - 0x30)
        let month = Int(bytes[offset + 2] - 0x30) * 10 + Int(bytes[offset + 3] - 0x30)
        return ((1...31).contains(day) || (51...81).contains(day)) && (1...12).contains(month)
    }

    // MARK: - Phone numbers

    /// "0176 23456789", "+49 152 34567890", "(02242) 88 77 66", "02241 / 9 48 37-12": a leading 0 or +, then groups of
    /// digits joined by spaces, `/`, `-` or brackets, 7 to 16 digits in all. Toll-free and service numbers, and
    /// switchboards ("-0"), belong to offices and are left alone.
    private mutating func findPhoneNumbers() {
        var done = -1
        for index in phoneStarts where index > done {
            var first = index
            var international = false
            if isSymbol(index, "+"), isNumber(index + 1), tokens[index + 1].gap == .none, tokens[index + 1].digits <= 3 {
                international = true
                first = index + 1
            } else if isSymbol(index, "("), isNumber(index + 1), firstByte(index + 1) == UInt8(ascii: "0"),
                (3...6).contains(tokens[index + 1].digits), isSymbol(index + 2, ")")
            {
                first = index + 1
            } else if isNumber(index), firstByte(index) == UInt8(ascii: "0"), tokens[index].digits >= 3 {
                if index > 0, tokens[index].gap == .none, tokens[index - 1].kind == .symbol, "/-.,+".utf8.contains(tokens[index - 1].symbol)
                {
                    continue
                }
                if index > 0, isNumber(index - 1) { continue }
            } else {
                continue
            }
            var position = first
            var digits = 0
            var groups = 0
            var last = first
            var switchboard = false
            while position < tokens.count, digits < 16, groups < 8 {
                guard isNumber(position) else { break }
                digits += tokens[position].digits
                groups += 1
                last = position
                var next = position + 1
                var joined = false
                if isSymbol(next, ")") {
                    next += 1
                    joined = true
                } else if isSymbol(next, "/") || isSymbol(next, "-") {
                    switchboard = isSymbol(next, "-") && next + 1 < tokens.count && value(next + 1) == 0 && tokens[next + 1].digits == 1
                    next += 1
                    joined = true
                } else if isSymbol(next, "("), value(next + 1) == 0, isSymbol(next + 2, ")") {
                    next += 3
                    joined = true
                }
                guard next < tokens.count, isNumber(next), tokens[next].gap != .lineBreak, joined || tokens[next].gap == .space else {
                    break
                }
                if tokens[next].digits > 8 && groups > 1 { break }
                position = next
            }
            guard international ? digits >= 8 : digits >= 7 else { continue }
            if !international && groups == 1 && digits < 9 { continue }
            done = last
            if isServiceNumber(first) || switchboard || any((index - 6)...(index - 1), .hotline) { continue }
            add(.phone, index, last)
        }
    }

    /// 0800, 0180x, 0900, 0137, 116…: numbers of offices and services.
    private func isServiceNumber(_ index: Int) -> Bool {
        let token = tokens[index]
        guard token.end - token.start >= 4 else { return false }
        let prefix = String(decoding: bytes[token.start..<(token.start + 4)], as: UTF8.self)
        return ["0800", "0180", "0900", "0137", "0700"].contains(prefix)
    }

    // MARK: - Dates of birth

    /// "geb. am 3.4.1987", "geb. 3. April 1987", "geboren am …", "Geburtsdatum: …", "Jahrgang 1979", "* 03.04.1987";
    /// with a name just before it ("Ayşe Yılmaz, geb. 12.03.1985"), a name with a date of birth.
    private mutating func findBirthDates() {
        for index in (stars + keywords).sorted() {
            let isStar = isSymbol(index, "*")
            guard isStar || isWord(index, .birthMarker) else { continue }
            var position = index + 1
            if isStar {
                guard isNumber(position), tokens[position].gap != .lineBreak else { continue }
                if index > 0, tokens[index].gap == .none, tokens[index - 1].kind == .word { continue }
            } else {
                for _ in 0..<5 {
                    guard position < tokens.count else { break }
                    if tokens[position].kind == .symbol, ".:(-,".utf8.contains(tokens[position].symbol) {
                        position += 1
                    } else if isWord(position, .birthFiller) {
                        position += 1
                    } else {
                        break
                    }
                }
            }
            guard let end = date(at: position, yearAlone: !isStar) else { continue }
            if let name = nameStart(before: index) {
                add(.nameWithDateOfBirth, name, end)
            } else {
                add(.dateOfBirth, index, end)
            }
        }
    }

    /// The last token of a date starting at `start`: 3.4.1987, 03.04.87, 3. April 1987, 1987-04-03, 3/4/1987, and,
    /// when `yearAlone`, a year of birth (1900–2039) or "Mai 1990".
    private func date(at start: Int, yearAlone: Bool) -> Int? {
        guard start < tokens.count else { return nil }
        if isWord(start, .month), let year = value(start + 1), (1900...2039).contains(year) { return start + 1 }
        guard let first = value(start) else { return nil }
        let firstDigits = tokens[start].digits
        if firstDigits <= 2, (1...31).contains(first) {
            if isSymbol(start + 1, "."), let month = value(start + 2), (1...12).contains(month), tokens[start + 2].digits <= 2,
                isSymbol(start + 3, "."), isNumber(start + 4), [2, 4].contains(tokens[start + 4].digits)
            {
                return start + 4
            }
            if isSymbol(start + 1, "/"), let month = value(start + 2), (1...12).contains(month), isSymbol(start + 3, "/"),
                isNumber(start + 4), [2, 4].contains(tokens[start + 4].digits)
            {
                return start + 4
            }
            var monthWord = start + 1
            if isSymbol(monthWord, ".") { monthWord += 1 }
            if isWord(monthWord, .month) {
                var year = monthWord + 1
                if isSymbol(year, ".") { year += 1 }
                if isNumber(year), [2, 4].contains(tokens[year].digits) { return year }
            }
            return nil
        }
        if firstDigits == 4 {
            if isSymbol(start + 1, "-"), let month = value(start + 2), (1...12).contains(month), isSymbol(start + 3, "-"),
                let day = value(start + 4), (1...31).contains(day)
            {
                return start + 4
            }
            if yearAlone, (1900...2039).contains(first), !(isSymbol(start + 1, "/") && isNumber(start + 2)),
                !(isSymbol(start + 1, ".") && isNumber(start + 2) && tokens[start + 2].gap == .none)
            {
                return start
            }
        }
        return nil
    }

    /// Where a name ends right before a birth marker ("Max Mustermann, geb.", "Kaya, Mehmet, geb.", "Herr Müller (*…"):
    /// two or more capitalised words, not starting with an article, at least one of them not a common noun.
    private func nameStart(before marker: Int) -> Int? {
        var position = marker - 1
        if isSymbol(position, "(") || isSymbol(position, ",") { position -= 1 }
        var words = 0
        var nameLike = 0
        var first: Int?
        var sawComma = false
        for _ in 0..<8 {
            guard position >= 0 else { break }
            let token = tokens[position]
            if token.kind == .word, token.isCapitalised,
                token.roles.isDisjoint(with: [.determiner, .joiner, .threshold, .streetPreposition, .birthMarker])
            {
                words += 1
                if token.roles.isDisjoint(with: [
                    .personSingular, .personE, .personER, .commonNoun, .country, .nationalityNoun, .institution, .notStreetName,
                    .unit, .month, .function,
                ]) {
                    nameLike += 1
                }
                first = position
                position -= 1
                if tokens[position + 1].gap == .lineBreak { break }
            } else if token.kind == .symbol, token.symbol == UInt8(ascii: "-"), token.gap == .none, position > 0,
                tokens[position - 1].kind == .word, words > 0
            {
                position -= 1
            } else if token.kind == .symbol, token.symbol == UInt8(ascii: ","), !sawComma, words == 1 {
                sawComma = true
                position -= 1
            } else if token.kind == .symbol, token.symbol == UInt8(ascii: "."), position > 0, isInitial(position - 1) {
                position -= 1
            } else {
                break
            }
        }
        guard words >= 2, nameLike >= 1 else { return nil }
        return first
    }

    // MARK: - Addresses

    /// "Hauptstr. 5a", "Bonner Straße 112, 53757 Sankt Augustin", "Am Markt 3", "An der Kirche 12". An address next to
    /// an office ("Rathaus Lohmar, Hauptstraße 27") is the office's unless the text says somebody lives there.
    private mutating func findAddresses() {
        for index in numbers {
            let token = tokens[index]
            let isHouseNumber =
                (token.kind == .number && token.digits <= 3 && firstByte(index) != UInt8(ascii: "0"))
                || (token.kind == .alnum && token.digits <= 3 && token.letters == 1 && Self.isDigit(firstByte(index))
                    && !Self.isDigit(bytes[token.end - 1]))
            if token.kind == .number && token.digits == 5 { postcodeNextToStreet(index) }
            guard isHouseNumber, token.gap != .lineBreak else { continue }
            if (isSymbol(index + 1, ".") || isSymbol(index + 1, ",") || isSymbol(index + 1, ":")) && isNumber(index + 2)
                && tokens[index + 2].gap == .none
            {
                continue
            }
            if isWord(index + 1, .unit) || isSymbol(index + 1, "%")
                || (index + 1 < tokens.count && tokens[index + 1].kind == .symbol && tokens[index + 1].symbol == ScannedToken.otherSymbol)
            {
                continue
            }
            var start: Int?
            var byPreposition = false
            let before = index - 1
            if isWord(before, .street), tokens[before].isCapitalised, !isWord(before, .numberedRoad) {
                start = streetStart(before)
            } else if isSymbol(before, "."), isWord(before - 1, .streetAbbreviation), tokens[before - 1].isCapitalised {
                start = streetStart(before - 1)
            } else if before >= 1, tokens[before].kind == .word, tokens[before].isCapitalised,
                tokens[before].roles.isDisjoint(with: [.notStreetName, .unit, .determiner, .title, .institution])
            {
                if isWord(before - 1, .streetPreposition) {
                    start = before - 1
                    byPreposition = true
                } else if isWord(before - 1, .determiner), isWord(before - 2, .streetPreposition) {
                    start = before - 2
                    byPreposition = true
                }
            }
            guard let start else { continue }
            let lives = any((start - 12)...(index + 6), .residential)
            if !lives && (any((start - 8)...(start - 1), .institution) || any((index + 1)...(index + 10), .institution)) { continue }
            if byPreposition && !lives {
                let ends =
                    index + 1 == tokens.count || tokens[index + 1].gap == .lineBreak
                    || (tokens[index + 1].kind == .symbol && ",;)".utf8.contains(tokens[index + 1].symbol))
                    || (isSymbol(index + 1, ".") && !isNumber(index + 2))
                guard ends, tokens[start].isCapitalised else { continue }
            }
            var end = index
            if (isSymbol(end + 1, ",") || isWord(end + 1, .streetPreposition)), isNumber(end + 2), tokens[end + 2].digits == 5,
                end + 3 < tokens.count, tokens[end + 3].kind == .word, tokens[end + 3].isCapitalised
            {
                end += 3
            }
            add(.address, start, end)
        }
    }

    /// The first word of a street name ending at `index`: "Kaiser-Wilhelm-Straße", "Bonner Straße".
    private func streetStart(_ index: Int) -> Int {
        var start = index
        for _ in 0..<3 {
            if isSymbol(start - 1, "-"), tokens[start].gap == .none, tokens[start - 1].gap == .none, start >= 2,
                tokens[start - 2].kind == .word, tokens[start - 2].isCapitalised
            {
                start -= 2
            } else {
                break
            }
        }
        if start >= 1, tokens[start - 1].kind == .word, tokens[start - 1].isCapitalised, ends(start - 1, with: "er"),
            tokens[start - 1].roles.isDisjoint(with: [.determiner, .title])
        {
            start -= 1
        }
        return start
    }

    /// "Bahnhofstraße, 53721 Siegburg": a postcode and town with a street just before it.
    private mutating func postcodeNextToStreet(_ index: Int) {
        guard index + 1 < tokens.count, tokens[index + 1].kind == .word, tokens[index + 1].isCapitalised else { return }
        guard let street = ((index - 4)...(index - 1)).last(where: { isWord($0, .street) && tokens[$0].isCapitalised }) else { return }
        let lives = any((street - 10)...(index + 6), .residential)
        if !lives && any((street - 8)...(street - 1), .institution) { return }
        add(.address, streetStart(street), index + 1)
    }

    // MARK: - Age with origin or description

    /// "ein 37-jähriger Syrer", "37 Jahre, syrisch", "Herr K. (61, türkisch)", "ein junger Mann (19) aus Guinea", "die
    /// Mutter ist 41": the age of one person. Ages of groups ("unter 25-Jährige", "Kinder ab 3 Jahren", "über 60 Jahre")
    /// are not.
    private mutating func findAges() {
        for index in numbers {
            let token = tokens[index]
            if isRangeOrLimit(before: index) { continue }
            if token.kind == .alnum || (isSymbol(index + 1, "-") && isWord(index + 2, .yearsOld)) {
                let ageWord = token.kind == .alnum ? index : index + 2
                guard tokens[ageWord].roles.contains(.yearsOld), token.kind == .number || Self.isDigit(firstByte(index)) else { continue }
                guard isSingularAge(ageWord, number: index) else { continue }
                let describes =
                    any((ageWord + 1)...(ageWord + 4), [.personSingular, .personE, .personER, .nationalityNoun, .nationalityAdjective])
                    || personNear((index - 6)...(index - 1)) || tokens[ageWord].isCapitalised
                guard describes else { continue }
                add(.ageAndOrigin, determinerStart(index), min(ageWord + 1, tokens.count - 1))
                continue
            }
            guard token.kind == .number, token.digits <= 3, let age = value(index), (1...110).contains(age) else { continue }
            if isWord(index + 1, .years) && (tokens[index + 1].letters > 1 || isSymbol(index + 2, ".")) {
                let origin =
                    any((index - 8)...(index + 8), [.nationalityAdjective, .nationalityNoun])
                    || ((index + 1)...(index + 8)).contains { isWord($0, .from) && (isWord($0 + 1, .country) || isWord($0 + 2, .country)) }
                guard origin || personNear((index - 8)...(index + 8)) else { continue }
                add(.ageAndOrigin, index, index + 1)
            } else if isSymbol(index - 1, "(") || isSymbol(index - 1, ",") {
                // "Vater (41)", "Herr K. (61, türkisch)", "Mutter von drei Kindern, 34, aus dem Kosovo".
                guard isSymbol(index + 1, ")") || isSymbol(index + 1, ","), index >= 2 else { continue }
                guard isPerson(index - 2) || (personNear((index - 6)...(index - 2)) && hasOrigin(after: index + 1)) else { continue }
                add(.ageAndOrigin, index - 1, index + 1)
            } else if isWord(index - 1, .approximately), token.digits == 2, !(isSymbol(index + 1, ".") && isNumber(index + 2)),
                !isWord(index + 1, .month), personNear((index - 6)...(index + 6))
            {
                // "Die Klientin ist Mitte 40".
                add(.ageAndOrigin, index - 1, index)
            } else if isWord(index - 1, .singularVerb), index >= 2, isPerson(index - 2) || isPerson(index - 3) {
                guard index + 1 == tokens.count || isSymbol(index + 1, ",") || isWord(index + 1, .years) || isSymbol(index + 1, ".")
                else { continue }
                add(.ageAndOrigin, index - 1, index)
            }
        }
    }

    /// Whether a nationality or "aus <Land>" follows within a few tokens.
    private func hasOrigin(after index: Int) -> Bool {
        any(index...(index + 4), [.nationalityAdjective, .nationalityNoun])
            || (index...(index + 4)).contains { isWord($0, .from) && (isWord($0 + 1, .country) || isWord($0 + 2, .country)) }
    }

    /// "16 bis 18", "16–18", "unter 25", "ab 3", "seit 30": a number that is a limit, a span or a duration.
    private func isRangeOrLimit(before index: Int) -> Bool {
        if isWord(index - 1, .threshold) { return true }
        if isSymbol(index - 1, "-") && isNumber(index - 2) { return true }
        if isWord(index - 2, .threshold) && tokens[index - 1].kind == .word && !tokens[index - 1].isCapitalised
            && tokens[index - 1].roles.isDisjoint(with: .determiner)
        {
            return true
        }
        return false
    }

    /// Whether "37-jährige…" is about one person, by its ending and the determiner before it.
    private func isSingularAge(_ ageWord: Int, number: Int) -> Bool {
        if ends(ageWord, with: "er") || ends(ageWord, with: "es") || ends(ageWord, with: "em") { return true }
        let before = isWord(number - 1, .determiner) ? number - 1 : nil
        if ends(ageWord, with: "e") { return before.map { !tokens[$0].roles.contains(.quantifier) } ?? false }
        if ends(ageWord, with: "en") { return before.map { tokens[$0].roles.contains(.singularDeterminer) } ?? false }
        return false
    }

    private func determinerStart(_ index: Int) -> Int { isWord(index - 1, .determiner) ? index - 1 : index }

    // MARK: - Health data

    /// Health words (Art. 9 GDPR) about one person: "Der Klient ist HIV-positiv", "Herr T. ist Dialysepatient", "Die
    /// Mutter ist psychisch erkrankt". The same words about groups ("Geflüchtete mit psychischen Erkrankungen") or
    /// services ("HIV-Beratung") are not. A diagnosis code, a degree of disability ("GdB 50") and a care level
    /// ("Pflegegrad 3") are about one person by themselves.
    private mutating func findHealthData() {
        var done = -1
        for index in healthWords where index > done {
            let roles = tokens[index].roles
            if roles.contains(.disabilityDegree) || roles.contains(.careLevel)
                || (roles.contains(.degree) && isWord(index + 2, .disability))
            {
                if let last = degreeValue(after: roles.contains(.degree) ? index + 2 : index, care: roles.contains(.careLevel)) {
                    add(.healthData, index, last)
                    done = last
                }
                continue
            }
            if roles.contains(.diagnosis), let code = diagnosisCode(after: index) {
                add(.healthData, index, code)
                done = code
                continue
            }
            guard roles.contains(.health) || roles.contains(.careLevel), tokens[index].kind == .word else { continue }
            // A service ("Suchtberatung", "HIV-Beratung", "Methadonprogramm") says something about a person only
            // right next to one ("Er nimmt an einem Methadonprogramm teil").
            let service =
                roles.contains(.healthService)
                || (isSymbol(index + 1, "-") && index + 2 < tokens.count && tokens[index + 1].gap == .none
                    && isWord(index + 2, [.healthService, .institution]))
            guard personNear(service ? (index - 6)...(index + 6) : (index - 12)...(index + 12)) else { continue }
            var last = index
            if isWord(index + 1, .health) && tokens[index + 1].gap == .space { last = index + 1 }
            if isSymbol(index + 1, "-"), tokens[index + 1].gap == .none, index + 2 < tokens.count, tokens[index + 2].kind == .word,
                tokens[index + 2].gap == .none
            {
                last = index + 2
            }
            add(.healthData, index, last)
            done = last
        }
    }

    /// The number after "GdB", "Grad der Behinderung" or "Pflegegrad", unless it is a limit ("ab 50", "mindestens 2").
    private func degreeValue(after index: Int, care: Bool) -> Int? {
        if isWord(index - 1, .threshold) || (index >= 2 && isWord(index - 2, .threshold) && isWord(index - 1, .determiner)) {
            return nil
        }
        var position = index + 1
        for _ in 0..<2 {
            if isSymbol(position, ":") || isSymbol(position, "=") || isSymbol(position, "(") {
                position += 1
            } else if isWord(position, .threshold) && ends(position, with: "von") && tokens[position].letters == 3 {
                position += 1
            }
        }
        guard let degree = value(position) else { return nil }
        guard care ? (1...5).contains(degree) : (10...100).contains(degree) else { return nil }
        if isWord(position + 1, .threshold) || (isWord(position + 1, .joiner) && isWord(position + 2, .threshold)) { return nil }
        return position
    }

    /// An ICD-10 code ("F43.1") within a few tokens after "Diagnose" or "ICD".
    private func diagnosisCode(after index: Int) -> Int? {
        for position in (index + 1)..<min(tokens.count, index + 7) {
            let token = tokens[position]
            if token.kind == .alnum, token.end - token.start == 3, Self.isUpperASCII(bytes[token.start]),
                Self.isDigit(bytes[token.start + 1]), Self.isDigit(bytes[token.start + 2])
            {
                return isSymbol(position + 1, ".") && isNumber(position + 2) ? position + 2 : position
            }
            if token.gap == .lineBreak { return nil }
        }
        return nil
    }

    // MARK: - Result

    /// The matches in text order; where two overlap, the more specific one (in the order of
    /// ``PersonalDataGuard/Category``) stays, and stretches of one category close together become one.
    func resolved() -> [PersonalDataGuard.Match] {
        let sorted = matches.sorted {
            ($0.range.lowerBound, $0.category.rank, -$0.range.upperBound) < ($1.range.lowerBound, $1.category.rank, -$1.range.upperBound)
        }
        var result: [PersonalDataGuard.Match] = []
        for match in sorted {
            guard let previous = result.last else {
                result.append(match)
                continue
            }
            if match.range.lowerBound < previous.range.upperBound {
                if match.category == previous.category {
                    result[result.count - 1].range = previous.range.lowerBound..<max(previous.range.upperBound, match.range.upperBound)
                } else if match.category.rank < previous.category.rank {
                    let floor = result.count >= 2 ? result[result.count - 2].range.upperBound : 0
                    if match.range.lowerBound >= floor { result[result.count - 1] = match }
                }
                continue
            }
            if match.category == previous.category && match.range.lowerBound - previous.range.upperBound <= 2 {
                result[result.count - 1].range = previous.range.lowerBound..<match.range.upperBound
                continue
            }
            result.append(match)
        }
        return result
    }
}
