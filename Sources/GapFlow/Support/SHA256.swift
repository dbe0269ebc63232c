import CCrypto

/// SHA-256 from the system's OpenSSL `libcrypto`.
enum SHA256 {
    /// The digest of `bytes` as lowercase hexadecimal.
    static func hex(_ bytes: [UInt8]) -> String {
        var digest = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
        bytes.withUnsafeBufferPointer { input in
            digest.withUnsafeMutableBufferPointer { output in
                _ = CCrypto.SHA256(input.baseAddress, input.count, output.baseAddress)
            }
        }
        return digest.map { String($0, radix: 16).leftPadded(to: 2) }.joined()
    }
}
