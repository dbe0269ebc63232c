/// The few words of exports that are not titles from the workflow file, in the workflow's language.
struct Vocabulary {
    let agenda: String
    let item: String
    let meetingOn: String
    let oClock: String
    let place: String
    let deadline: String
    let ticket: String
    let title: String
    let section: String
    let entered: String
    let waitingDays: String
    let deferrals: String
    let noItems: String
    let none: String
    let minutes: String
    let resolutions: String
    let number: String
    let decision: String
    let responsible: String
    let dueDate: String
    let inWriting: String
    let paper: String
    let subject: String
    let facts: String
    let proposal: String
    let feedback: String
    let reportedOn: String
    let outcome: String
    let reportedBy: String
    let mergedIn: String
    let area: String

    static func forLanguage(_ language: String) -> Vocabulary {
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
