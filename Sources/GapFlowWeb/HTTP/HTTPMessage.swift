import Foundation

/// One HTTP request as the web front sees it: libmicrohttpd has parsed the request line and headers, the body is
/// read in full (up to the server's limit).
public struct HTTPRequest: Sendable {
    public let method: String
    /// The path as sent, still percent-encoded (without the query).
    public let path: String
    /// The query as sent, still percent-encoded (without the "?"); empty when there is none.
    public let query: String
    /// Header values by lower-cased name.
    public let headers: [String: String]
    public let body: [UInt8]
    /// The peer's IP address as text (the reverse proxy's, behind one).
    public let peerAddress: String

    public init(
        method: String, path: String, query: String = "", headers: [String: String] = [:], body: [UInt8] = [],
        peerAddress: String = "127.0.0.1"
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
        self.body = body
        self.peerAddress = peerAddress
    }

    public func header(_ name: String) -> String? { headers[name.lowercased()] }

    /// The cookies the request carries, by name (the first of a repeated name wins).
    public var cookies: [String: String] {
        guard let header = header("cookie") else { return [:] }
        var cookies: [String: String] = [:]
        for pair in header.split(separator: ";") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let name = parts[0].trimmingCharacters(in: .whitespaces)
            if cookies[name] == nil { cookies[name] = parts[1].trimmingCharacters(in: .whitespaces) }
        }
        return cookies
    }
}

/// What the web front answers.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: [(String, String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(String, String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }

    /// All values of a header that may repeat (Set-Cookie).
    public func headers(_ name: String) -> [String] {
        headers.filter { $0.0.lowercased() == name.lowercased() }.map(\.1)
    }

    public var text: String { String(decoding: body, as: UTF8.self) }
}
