import Foundation
import Synchronization

/// Slows down password guessing: after `limit` failed logins within `window` for one account, or `addressLimit`
/// for one client address, further attempts are refused (without checking the password) until the window passes.
///
/// Kept in the serving process's memory: a restart forgets it, which costs an attacker a restart they cannot cause.
final class LoginThrottle: Sendable {
    struct Limits: Sendable {
        var perAccount = 5
        var perAddress = 20
        var window: TimeInterval = 15 * 60
    }

    private let limits: Limits
    private let failures = Mutex<[String: [Date]]>([:])

    init(limits: Limits = Limits()) { self.limits = limits }

    /// How long `account` from `address` must wait before trying again, or nil if it may try now.
    func wait(account: String, address: String, now: Date) -> TimeInterval? {
        failures.withLock { failures in
            let checks = [("account:" + account.lowercased(), limits.perAccount), ("address:" + address, limits.perAddress)]
            var longest: TimeInterval?
            for (key, limit) in checks {
                let recent = (failures[key] ?? []).filter { now.timeIntervalSince($0) < limits.window }
                failures[key] = recent.isEmpty ? nil : recent
                if recent.count >= limit, let oldest = recent.first {
                    longest = max(longest ?? 0, limits.window - now.timeIntervalSince(oldest))
                }
            }
            return longest
        }
    }

    func recordFailure(account: String, address: String, now: Date) {
        failures.withLock { failures in
            // Forget what no longer counts, so that guessing from many addresses cannot grow the table for ever.
            if failures.count > 10_000 {
                failures = failures.filter { _, times in times.last.map { now.timeIntervalSince($0) < limits.window } ?? false }
            }
            failures["account:" + account.lowercased(), default: []].append(now)
            failures["address:" + address, default: []].append(now)
        }
    }

    /// A successful login clears the account's failures (not the address's).
    func recordSuccess(account: String) {
        _ = failures.withLock { $0.removeValue(forKey: "account:" + account.lowercased()) }
    }
}
