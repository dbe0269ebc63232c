import Foundation
import GapFlow

/// Every word of the web front that is not a title from a workflow file: read from a texts file
/// (`Workflows/texts/web.de.json`), so that wording is the county's to change and no page word lives in Swift.
///
/// A texts file is `{"language": "de", "texts": {KEY: TEXT, …}}`; a text may name values in braces (`{count}`).
/// Loading refuses a file that lacks a key, has one this version does not know, or is not valid JSON — each
/// problem with its line and column.
public struct PageTexts: Sendable {
    /// The texts the pages use. The raw values are the keys of the file.
    public enum Key: String, CaseIterable, Sendable {
        case siteTitle = "site.title", skipLink = "site.skipLink", navigationLabel = "nav.label", navQueue = "nav.queue"
        case navTickets = "nav.tickets", navNew = "nav.new", navReport = "nav.report", signedInAs = "user.signedInAs"
        case logout = "user.logout", dateTime = "format.dateTime", days = "format.days", oneDay = "format.oneDay"
        case none = "format.none"
        case loginTitle = "login.title", loginName = "login.name", loginPassword = "login.password", loginSubmit = "login.submit"
        case loginFailed = "login.failed", loginThrottled = "login.throttled", loginExpired = "login.expired"
        case errorSummary = "error.summary", notFoundTitle = "error.notFound.title", notFoundText = "error.notFound.text"
        case methodTitle = "error.method.title", methodText = "error.method.text", tooLargeTitle = "error.tooLarge.title"
        case tooLargeText = "error.tooLarge.text", badRequestTitle = "error.badRequest.title", badRequestText = "error.badRequest.text"
        case forbiddenTitle = "error.forbidden.title", forbiddenText = "error.forbidden.text"
        case unavailableTitle = "error.unavailable.title", unavailableText = "error.unavailable.text"
        case failureTitle = "error.failure.title", failureText = "error.failure.text", backHome = "error.backHome"
        case queueTitle = "queue.title", queueCount = "queue.count", queueEmpty = "queue.empty", overdue = "queue.overdue"
        case columnTicket = "column.ticket", columnTitle = "column.title", columnState = "column.state"
        case columnDeadline = "column.deadline", columnWaiting = "column.waiting", columnEvents = "column.events"
        case columnOwner = "column.owner", columnOpened = "column.opened", columnWorkflow = "column.workflow"
        case ticketFacts = "ticket.facts", ticketOwner = "ticket.owner", ticketOpened = "ticket.opened"
        case ticketRevision = "ticket.revision", ticketDeadline = "ticket.deadline", ticketFields = "ticket.fields"
        case ticketHistory = "ticket.history", ticketActions = "ticket.actions", ticketNoActions = "ticket.noActions"
        case ticketComment = "ticket.comment", ticketDone = "ticket.done", ticketOpenedDone = "ticket.openedDone"
        case historyBy = "history.by", historyChanges = "history.changes", historyComment = "history.comment"
        case historyMove = "history.move", historyRemoved = "history.removed"
        case conflictTitle = "conflict.title", conflictText = "conflict.text", conflictYours = "conflict.yours"
        case conflictCurrent = "conflict.current", conflictReload = "conflict.reload"
        case newTitle = "new.title", newChoose = "new.choose", newHeading = "new.heading", newSubmit = "new.submit"
        case newNothing = "new.nothing"
        case optional = "field.optional", maxLength = "field.maxLength", range = "field.range", minimum = "field.minimum"
        case maximum = "field.maximum", dateHint = "field.dateHint", choose = "field.choose", ticketHint = "field.ticketHint"
        case invalidTooLong = "invalid.tooLong", invalidInteger = "invalid.notAnInteger", invalidRange = "invalid.outOfRange"
        case invalidDate = "invalid.notADate", invalidChoice = "invalid.notAllowed", invalidLineBreak = "invalid.lineBreak"
        case invalidTicket = "invalid.notATicketID", invalidOther = "invalid.other"
        case blockerMissing = "blocker.missingField", blockerRole = "blocker.roleNotAllowed", blockerScope = "blocker.outOfScope"
        case blockerState = "blocker.notInSourceState", blockerReference = "blocker.invalidReference"
        case blockerCondition = "blocker.conditionFailed", blockerMeetingDecision = "blocker.meetingDecision"
        case blockerOther = "blocker.other", personalDataConfirm = "personalData.confirm"
        case listTitle = "list.title", listFilter = "list.filter", listState = "list.state", listAny = "list.any"
        case listOwner = "list.owner", listSearch = "list.search", listApply = "list.apply", listResults = "list.results"
        case listPage = "list.page", listNext = "list.next", listPrevious = "list.previous", listNone = "list.none"
        case listPagination = "list.pagination", listOpenOnly = "list.openOnly"
        case reportTitle = "report.title"
        case similarTitle = "similar.title", similarScore = "similar.score", similarWording = "similar.wording"
        case similarNone = "similar.none", similarAction = "similar.action"
    }

    public let language: String
    private let texts: [Key: String]

    public init(language: String, texts: [Key: String]) {
        self.language = language
        self.texts = texts
    }

    public subscript(_ key: Key) -> String { texts[key] ?? key.rawValue }

    /// The text with each `{name}` replaced by its value (values are inserted as they are; pages escape the result).
    public func callAsFunction(_ key: Key, _ values: [String: String] = [:]) -> String {
        var text = self[key]
        for (name, value) in values { text = text.replacingOccurrences(of: "{\(name)}", with: value) }
        return text
    }

    /// Reads and checks a texts file.
    public static func load(contentsOf url: URL) throws(PageTextsError) -> PageTexts {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw PageTextsError(file: url.path, problems: ["cannot read the file"])
        }
        return try parse(Array(data), file: url.path)
    }

    static func parse(_ bytes: [UInt8], file: String) throws(PageTextsError) -> PageTexts {
        let root: JSONNode
        do {
            root = try JSONParser.parse(bytes)
        } catch {
            throw PageTextsError(file: file, problems: ["\(error.position): \(error.message)"])
        }
        var problems: [String] = []
        guard let members = root.members else { throw PageTextsError(file: file, problems: ["\(root.position): expected an object"]) }
        for member in members where member.key != "language" && member.key != "texts" && !member.key.hasPrefix("$") {
            problems.append("\(member.keyPosition): unknown key \"\(member.key)\" (known: \"language\", \"texts\")")
        }
        let language = root["language"]?.string ?? ""
        if language.isEmpty { problems.append("\(root.position): \"language\" must name the language, e.g. \"de\"") }
        var texts: [Key: String] = [:]
        if let entries = root["texts"]?.members {
            for entry in entries where !entry.key.hasPrefix("$") {
                guard let key = Key(rawValue: entry.key) else {
                    let hint = NameSuggestion.hint(for: entry.key, among: Key.allCases.map(\.rawValue)).map { "; \($0)" } ?? ""
                    problems.append("\(entry.keyPosition): unknown text \"\(entry.key)\"\(hint)")
                    continue
                }
                guard let text = entry.value.string, !text.isEmpty else {
                    problems.append("\(entry.value.position): \"\(entry.key)\" must be a non-empty string")
                    continue
                }
                if texts[key] != nil { problems.append("\(entry.keyPosition): \"\(entry.key)\" is given twice") }
                texts[key] = text
            }
            let missing = Key.allCases.filter { texts[$0] == nil }.map(\.rawValue)
            if !missing.isEmpty { problems.append("missing texts: " + missing.joined(separator: ", ")) }
        } else {
            problems.append("\(root.position): \"texts\" must be an object of texts by key")
        }
        guard problems.isEmpty else { throw PageTextsError(file: file, problems: problems) }
        return PageTexts(language: language, texts: texts)
    }
}

/// A texts file that cannot be used, with every problem found.
public struct PageTextsError: ExplainedError, Equatable {
    public let file: String
    public let problems: [String]

    public var summary: String { "the texts file \(file) cannot be used (\(problems.count) problem\(problems.count == 1 ? "" : "s"))" }
    public var details: [String] { problems }
    public var hint: String? { "give the web front's texts with --texts FILE (the shipped one is Workflows/texts/web.de.json)" }
}
