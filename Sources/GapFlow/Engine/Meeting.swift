/// A meeting of the board that decides items, e.g. a session of the steering group.
public struct Meeting: Sendable, Equatable {
    public let id: Int
    public let workflowID: String
    public let date: LocalDate
    /// `HH:MM`, local time, if set.
    public let time: String?
    public let title: String
    public let place: String?
    /// Items must have entered their state by this date to be on the agenda (*Antragsfrist*).
    public let submissionDeadline: LocalDate

    public init(
        id: Int, workflowID: String, date: LocalDate, time: String? = nil, title: String, place: String? = nil,
        submissionDeadline: LocalDate
    ) {
        self.id = id
        self.workflowID = workflowID
        self.date = date
        self.time = time
        self.title = title
        self.place = place
        self.submissionDeadline = submissionDeadline
    }
}

/// Where a decision was taken, recorded with it in the history.
public struct DecisionRecord: Sendable, Equatable {
    /// The meeting, or nil for a decision in writing between meetings (*Umlaufverfahren*).
    public let meeting: Int?
    /// The resolution number, e.g. `3/2027-2`.
    public let resolution: String

    public init(meeting: Int? = nil, resolution: String) {
        self.meeting = meeting
        self.resolution = resolution
    }
}
