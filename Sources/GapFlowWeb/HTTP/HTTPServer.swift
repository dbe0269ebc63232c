import CMicroHTTPD
import Foundation
import GapFlow
import Synchronization

/// HTTP on GNU libmicrohttpd: it parses requests, enforces connection limits and timeouts; this type reads each
/// request's body (up to ``Limits/maximumBody``) and hands the whole request to one handler on a worker thread.
public final class HTTPServer: Sendable {
    public typealias Handler = @Sendable (HTTPRequest) -> HTTPResponse

    /// What a client may cost the server.
    public struct Limits: Sendable {
        /// Largest request body; a larger one is answered 413 without being read.
        public var maximumBody = 1 << 20
        /// Worker threads answering requests.
        public var threads = 8
        public var connections = 512
        public var connectionsPerAddress = 64
        /// A connection idle (or stalled mid-request) this long is closed.
        public var timeoutSeconds = 30
        /// Memory for one connection's request line and headers.
        public var connectionMemory = 64 * 1024

        public init() {}
    }

    let handler: Handler
    let limits: Limits
    /// The status a body over the limit gets, built by the caller (the page is in the front's words).
    let tooLarge: Handler
    /// The running daemon's address (0 when stopped): a pointer is not `Sendable`, its bits are.
    private let daemon = Mutex<UInt>(0)
    /// Requests begun and not yet answered: ``stop()`` waits for them.
    fileprivate let requestsInFlight = Mutex(0)

    public init(limits: Limits = Limits(), tooLarge: @escaping Handler, handler: @escaping Handler) {
        self.limits = limits
        self.tooLarge = tooLarge
        self.handler = handler
    }

    /// Binds `host:port` (port 0 picks a free one) and starts serving; returns the bound port.
    public func start(host: String, port: UInt16) throws(ServeError) -> UInt16 {
        let started: (OpaquePointer?, UInt16) = try Self.withSocketAddress(host: host, port: port) { address throws(ServeError) in
            let context = Unmanaged.passUnretained(self).toOpaque()
            guard
                let daemon = gapflow_mhd_start(
                    address, UInt32(limits.threads), UInt32(limits.connections), UInt32(limits.connectionsPerAddress),
                    UInt32(limits.timeoutSeconds), limits.connectionMemory, accessHandler, requestCompleted, uriLogger,
                    context)
            else { throw ServeError.cannotListen(address: "\(host):\(port)", reason: String(cString: strerror(errno))) }
            return (daemon, gapflow_mhd_port(daemon))
        }
        daemon.withLock { $0 = UInt(bitPattern: started.0) }
        return started.1
    }

    /// Stops accepting connections, lets requests in flight finish, then stops the worker threads.
    public func stop() {
        let bits = daemon.withLock { value -> UInt in
            defer { value = 0 }
            return value
        }
        guard let running = OpaquePointer(bitPattern: bits) else { return }
        let socket = MHD_quiesce_daemon(running)
        if socket >= 0 { close(socket) }
        // Stopping the daemon closes every connection, answered or not: first let the requests in flight be answered
        // (as long as a connection may stall, at most).
        let deadline = ContinuousClock.now + .seconds(limits.timeoutSeconds)
        while requestsInFlight.withLock({ $0 }) > 0 && ContinuousClock.now < deadline { _ = poll(nil, 0, 5) }
        MHD_stop_daemon(running)
    }

    private static func withSocketAddress<T>(
        host: String, port: UInt16, _ body: (UnsafePointer<sockaddr>) throws(ServeError) -> T
    ) throws(ServeError) -> T {
        var v4 = sockaddr_in()
        if inet_pton(AF_INET, host, &v4.sin_addr) == 1 {
            v4.sin_family = sa_family_t(AF_INET)
            v4.sin_port = port.bigEndian
            return try withUnsafePointer(to: &v4) { pointer throws(ServeError) in
                try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address throws(ServeError) in try body(address) }
            }
        }
        var v6 = sockaddr_in6()
        if inet_pton(AF_INET6, host, &v6.sin6_addr) == 1 {
            v6.sin6_family = sa_family_t(AF_INET6)
            v6.sin6_port = port.bigEndian
            return try withUnsafePointer(to: &v6) { pointer throws(ServeError) in
                try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address throws(ServeError) in try body(address) }
            }
        }
        throw ServeError.badListenAddress("\(host):\(port)")
    }

    /// One request being read: made when libmicrohttpd sees its URI, freed when the request completes.
    final class PendingRequest {
        let uri: String
        var body: [UInt8] = []
        var started = false
        var overLimit = false

        init(uri: String) { self.uri = uri }
    }

    func answer(
        _ connection: OpaquePointer, method: String, pending: PendingRequest, uploadSize: UnsafeMutablePointer<Int>,
        uploadData: UnsafePointer<UInt8>?
    ) -> MHD_Result {
        if !pending.started {
            pending.started = true
            // A declared length over the limit is refused before a byte of the body is read.
            if let length = Self.header(connection, "Content-Length").flatMap(Int.init), length > limits.maximumBody {
                return queue(connection, tooLarge(request(connection, method: method, pending: pending)))
            }
            return .YES
        }
        if uploadSize.pointee > 0 {
            if !pending.overLimit, pending.body.count + uploadSize.pointee <= limits.maximumBody {
                pending.body.append(contentsOf: UnsafeBufferPointer(start: uploadData, count: uploadSize.pointee))
            } else {
                pending.overLimit = true
                pending.body = []
            }
            uploadSize.pointee = 0
            return .YES
        }
        let request = request(connection, method: method, pending: pending)
        return queue(connection, pending.overLimit ? tooLarge(request) : handler(request))
    }

    private func request(_ connection: OpaquePointer, method: String, pending: PendingRequest) -> HTTPRequest {
        let (path, query) = pending.uri.splitOnce("?")
        var address = [CChar](repeating: 0, count: 64)
        gapflow_mhd_client_address(connection, &address, address.count)
        return HTTPRequest(
            method: method, path: path, query: query ?? "", headers: Self.headers(connection), body: pending.body,
            peerAddress: String(decoding: address.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }

    private func queue(_ connection: OpaquePointer, _ response: HTTPResponse) -> MHD_Result {
        let made = response.body.withUnsafeBytes { bytes in
            MHD_create_response_from_buffer(bytes.count, UnsafeMutableRawPointer(mutating: bytes.baseAddress), .RESPMEM_MUST_COPY)
        }
        guard let made else { return .NO }
        for (name, value) in response.headers { MHD_add_response_header(made, name, value) }
        let result = MHD_queue_response(connection, UInt32(response.status), made)
        MHD_destroy_response(made)
        return result
    }

    private static func header(_ connection: OpaquePointer, _ name: String) -> String? {
        MHD_lookup_connection_value(connection, .HEADER_KIND, name).map { String(cString: $0) }
    }

    private static func headers(_ connection: OpaquePointer) -> [String: String] {
        final class Collected { var headers: [String: String] = [:] }
        let collected = Collected()
        _ = MHD_get_connection_values(
            connection, .HEADER_KIND,
            { context, _, key, value in
                guard let context, let key else { return .YES }
                let collected = Unmanaged<Collected>.fromOpaque(context).takeUnretainedValue()
                let name = String(cString: key).lowercased()
                if collected.headers[name] == nil { collected.headers[name] = value.map { String(cString: $0) } ?? "" }
                return .YES
            }, Unmanaged.passUnretained(collected).toOpaque())
        return collected.headers
    }
}

/// Why the server could not start.
public enum ServeError: ExplainedError, Equatable {
    case badListenAddress(String)
    case cannotListen(address: String, reason: String)

    public var summary: String {
        switch self {
        case .badListenAddress(let text): "\"\(text)\" is not an address to listen on"
        case .cannotListen(let address, let reason): "cannot listen on \(address): \(reason)"
        }
    }

    public var hint: String? { "give --listen HOST:PORT, e.g. 127.0.0.1:8080" }
    public var kind: ErrorKind { .unavailable }
}

extension String {
    /// The text before and after the first `separator`, or the whole text and nil.
    func splitOnce(_ separator: Character) -> (String, String?) {
        guard let index = firstIndex(of: separator) else { return (self, nil) }
        return (String(self[..<index]), String(self[self.index(after: index)...]))
    }
}

private func uriLogger(_ context: UnsafeMutableRawPointer?, _ uri: UnsafePointer<CChar>?, _: OpaquePointer?) -> UnsafeMutableRawPointer? {
    if let context { Unmanaged<HTTPServer>.fromOpaque(context).takeUnretainedValue().requestsInFlight.withLock { $0 += 1 } }
    let pending = HTTPServer.PendingRequest(uri: uri.map { String(cString: $0) } ?? "/")
    return Unmanaged.passRetained(pending).toOpaque()
}

private func accessHandler(
    _ context: UnsafeMutableRawPointer?, _ connection: OpaquePointer?, _ url: UnsafePointer<CChar>?, _ method: UnsafePointer<CChar>?,
    _ version: UnsafePointer<CChar>?, _ uploadData: UnsafePointer<CChar>?, _ uploadSize: UnsafeMutablePointer<Int>?,
    _ state: UnsafeMutablePointer<UnsafeMutableRawPointer?>?
) -> MHD_Result {
    guard let context, let connection, let uploadSize, let state, let pendingPointer = state.pointee else { return .NO }
    let server = Unmanaged<HTTPServer>.fromOpaque(context).takeUnretainedValue()
    let pending = Unmanaged<HTTPServer.PendingRequest>.fromOpaque(pendingPointer).takeUnretainedValue()
    let methodName = method.map { String(cString: $0) } ?? "GET"
    let bytes = UnsafeRawPointer(uploadData)?.assumingMemoryBound(to: UInt8.self)
    return server.answer(connection, method: methodName, pending: pending, uploadSize: uploadSize, uploadData: bytes)
}

private func requestCompleted(
    _ context: UnsafeMutableRawPointer?, _ connection: OpaquePointer?, _ state: UnsafeMutablePointer<UnsafeMutableRawPointer?>?,
    _ reason: MHD_RequestTerminationCode
) {
    guard let state, let pending = state.pointee else { return }
    Unmanaged<HTTPServer.PendingRequest>.fromOpaque(pending).release()
    state.pointee = nil
    if let context { Unmanaged<HTTPServer>.fromOpaque(context).takeUnretainedValue().requestsInFlight.withLock { $0 -= 1 } }
}
