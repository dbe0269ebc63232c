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
        return hex(digest: digest)
    }

    /// Raw digest bytes as lowercase hexadecimal.
    static func hex(digest: [UInt8]) -> String {
        let hexDigits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(digest.count * 2)
        for byte in digest {
            text.append(hexDigits[Int(byte >> 4)])
            text.append(hexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// A digest computed piece by piece, for more data than is worth holding at once (a checkpoint's root).
    final class Hasher {
        private var context: OpaquePointer?

        init() { context = gapflow_sha256_begin() }

        deinit { if let context { EVP_MD_CTX_free(context) } }

        func update(_ text: String) {
            guard let context else { return }
            var text = text
            text.withUTF8 { bytes in _ = gapflow_sha256_update(context, bytes.baseAddress, bytes.count) }
        }

        /// The digest as lowercase hexadecimal; nil if OpenSSL failed at any point. The hasher cannot be used afterwards.
        func finish() -> String? {
            guard let context else { return nil }
            self.context = nil
            var digest = [UInt8](repeating: 0, count: 32)
            guard gapflow_sha256_finish(context, &digest) == 1 else { return nil }
            return hex(digest: digest)
        }
    }
}
