/// The few words of exports that are not titles from the workflow file, in the workflow's language.
public struct Vocabulary: Sendable {
    public let agenda: String
    public let item: String
    public let meetingOn: String
    public let oClock: String
    public let place: String
    public let deadline: String
    public let ticket: String
    public let title: String
    public let section: String
    public let entered: String
    public let waitingDays: String
    public let deferrals: String
    public let noItems: String
    public let none: String
    public let minutes: String
    public let resolutions: String
    public let number: String
    public let decision: String
    public let responsible: String
    public let dueDate: String
    public let inWriting: String
    public let paper: String
    public let subject: String
    public let facts: String
    public let proposal: String
    public let feedback: String
    public let reportedOn: String
    public let outcome: String
    public let reportedBy: String
    public let mergedIn: String
    public let area: String

    public static func forLanguage(_ language: String) -> Vocabulary {
        language == "de"
            ? Vocabulary(
                agenda: "Tagesordnung", item: "TOP", meetingOn: "Sitzung am", oClock: "Uhr", place: "Ort", deadline: "Antragsfrist",
                ticket: "Vorgang", title: "Titel", section: "Abschnitt", entered: "Eingang", waitingDays: "Wartezeit (Tage)",
                deferrals: "Vertagungen", noItems: "Keine Vorlagen.", none: "–", minutes: "Ergebnisprotokoll",
                resolutions: "Beschlussliste", number: "Nr.", decision: "Beschluss", responsible: "Zuständig", dueDate: "Frist",
                inWriting: "Umlaufverfahren", paper: "Beschlussvorlage", subject: "Betreff", facts: "Sachverhalt",
                proposal: "Beschlussvorschlag", feedback: "Rückmeldung an die Case Manager:innen", reportedOn: "gemeldet am",
                outcome: "Ergebnis", reportedBy: "Gemeldet von", mergedIn: "Zusammengeführte Meldungen", area: "Gebiet")
            : Vocabulary(
                agenda: "Agenda", item: "Item", meetingOn: "Meeting on", oClock: "", place: "Place", deadline: "Submission deadline",
                ticket: "Ticket", title: "Title", section: "Section", entered: "Entered", waitingDays: "Waiting (days)",
                deferrals: "Deferrals", noItems: "No items.", none: "–", minutes: "Minutes", resolutions: "Resolutions",
                number: "No.", decision: "Decision", responsible: "Responsible", dueDate: "Due", inWriting: "In writing",
                paper: "Decision paper",
                subject: "Subject", facts: "Facts", proposal: "Proposed resolution", feedback: "Feedback to case managers",
                reportedOn: "reported on", outcome: "Outcome", reportedBy: "Reported by", mergedIn: "Merged reports", area: "area")
    }
}
