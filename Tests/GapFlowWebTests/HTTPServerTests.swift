import Dispatch
import Foundation
import Synchronization
import Testing

@testable import GapFlowWeb

/// The server on a loopback port, spoken to over a plain socket: what libmicrohttpd and the body reading do with
/// requests a browser would never send.
@Suite("HTTP on libmicrohttpd")
struct HTTPServerTests {
    static func server(
        limits: (inout HTTPServer.Limits) -> Void = { _ in },
        handler: @escaping HTTPServer.Handler = { request in
            HTTPResponse(status: 200, body: Array("\(request.method) \(request.path) \(request.body.count)".utf8))
        }
    ) throws -> (HTTPServer, UInt16) {
        var configured = HTTPServer.Limits()
        configured.threads = 4
        limits(&configured)
        let server = HTTPServer(limits: configured, tooLarge: { _ in HTTPResponse(status: 413) }, handler: handler)
        return (server, try server.start(host: "127.0.0.1", port: 0))
    }

    @Test func answersARequestAndReadsItsBody() throws {
        let (server, port) = try Self.server()
        defer { server.stop() }
        let response = try Loopback.exchange(
            port, "POST /x?y=1 HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhallo")
        #expect(response.status == 200)
        #expect(response.body == "POST /x 5")
    }

    @Test func aBodyOverTheLimitIs413WhetherDeclaredOrChunked() throws {
        let (server, port) = try Self.server { $0.maximumBody = 1000 }
        defer { server.stop() }
        let declared = try Loopback.exchange(port, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5000\r\nConnection: close\r\n\r\n")
        #expect(declared.status == 413)
        let chunk = String(repeating: "x", count: 800)
        let chunked = try Loopback.exchange(
            port,
            "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n320\r\n\(chunk)\r\n320\r\n\(chunk)\r\n0\r\n\r\n"
        )
        #expect(chunked.status == 413)
        #expect(try Loopback.exchange(port, "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n").status == 200, "still serving")
    }

    @Test func garbageGetsA400AndTheServerStaysUp() throws {
        let (server, port) = try Self.server()
        defer { server.stop() }
        let garbage = try Loopback.exchange(port, "\u{01}\u{02} nonsense\r\n\r\n")
        #expect(garbage.status == 400 || garbage.status == 0)
        let truncated = try Loopback.exchange(port, "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc")
        #expect(truncated.status == 0, "a body cut short is never handed to the handler")
        #expect(try Loopback.exchange(port, "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n").status == 200)
    }

    @Test func manyConnectionsAtOnceAreAllAnswered() throws {
        let (server, port) = try Self.server()
        defer { server.stop() }
        let answered = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: 64) { _ in
            if (try? Loopback.exchange(port, "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n").status) == 200 {
                answered.add(1, ordering: .relaxed)
            }
        }
        #expect(answered.load(ordering: .relaxed) == 64)
    }

    @Test func aStalledClientIsCutOffAfterTheTimeout() throws {
        let (server, port) = try Self.server { $0.timeoutSeconds = 1 }
        defer { server.stop() }
        // Half a request, then nothing: the server closes the connection (the read returns) instead of waiting forever.
        let response = try Loopback.exchange(port, "GET / HTTP/1.1\r\nHost: a\r\n", closeWrite: false)
        #expect(response.status == 0 || response.status == 408)
        #expect(try Loopback.exchange(port, "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n").status == 200)
    }

    @Test func stoppingLetsTheRequestInFlightFinish() throws {
        let entered = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let (server, port) = try Self.server(handler: { _ in
            entered.signal()
            release.wait()
            return HTTPResponse(status: 200, body: Array("finished".utf8))
        })
        let result = Mutex<Loopback.Response?>(nil)
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            let response = try? Loopback.exchange(port, "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
            result.withLock { $0 = response }
            done.signal()
        }
        entered.wait()
        let stopped = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            server.stop()
            stopped.signal()
        }
        // The request is answered only once the server is stopping (it takes no new connections).
        while Loopback.accepts(port) { _ = poll(nil, 0, 5) }
        release.signal()
        done.wait()
        stopped.wait()
        let response = try #require(result.withLock { $0 })
        #expect(response.status == 200)
        #expect(response.body == "finished")
        #expect(throws: (any Error).self) { try Loopback.exchange(port, "GET / HTTP/1.1\r\nHost: a\r\n\r\n") }
    }

    @Test func aBadListenAddressIsAClearError() {
        let server = HTTPServer(tooLarge: { _ in HTTPResponse(status: 413) }, handler: { _ in HTTPResponse(status: 200) })
        #expect(throws: ServeError.badListenAddress("localhost:80")) { try server.start(host: "localhost", port: 80) }
    }
}

/// A raw HTTP exchange over a loopback socket.
enum Loopback {
    struct Response: Sendable {
        let status: Int
        let headers: [String: String]
        let body: String
    }

    struct Failed: Error {}

    /// A socket connected to the port on loopback.
    static func connected(_ port: UInt16) throws -> Int32 {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw Failed() }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(socket)
            throw Failed()
        }
        return socket
    }

    /// Whether the port still takes connections (the connection is closed at once, without a request).
    static func accepts(_ port: UInt16) -> Bool {
        guard let socket = try? connected(port) else { return false }
        close(socket)
        return true
    }

    static func exchange(_ port: UInt16, _ request: String, closeWrite: Bool = true) throws -> Response {
        let socket = try connected(port)
        defer { close(socket) }
        let bytes = Array(request.utf8)
        _ = bytes.withUnsafeBytes { send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        if closeWrite { shutdown(socket, Int32(SHUT_WR)) }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            received += buffer[0..<count]
        }
        let text = String(decoding: received, as: UTF8.self)
        guard let end = text.range(of: "\r\n\r\n") else { return Response(status: 0, headers: [:], body: text) }
        let lines = text[..<end.lowerBound].split(separator: "\r\n")
        let status = lines.first.flatMap { Int($0.split(separator: " ").dropFirst().first ?? "") } ?? 0
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2 { headers[parts[0].lowercased()] = parts[1].trimmingCharacters(in: .whitespaces) }
        }
        return Response(status: status, headers: headers, body: String(text[end.upperBound...]))
    }
}
