import Foundation
import Testing

@testable import GapFlow

/// Ed25519 keys and signatures through OpenSSL's libcrypto, in the PEM form `openssl genpkey` and `openssl pkey` use.
@Suite struct Ed25519Tests {
    @Test func keysReadWhatOpenSSLWritesAndSignaturesVerifyOnlyForTheirMessage() throws {
        let key = try #require(SigningKey.generate())
        let again = try #require(SigningKey(pem: key.pem))
        #expect(again.publicKey == key.publicKey)
        #expect(PublicKey(pem: key.publicPEM) == key.publicKey)
        #expect(SigningKey(pem: key.publicPEM) == nil && PublicKey(pem: "not a key") == nil)
        let message = Array("gapflow".utf8)
        let signature = try #require(key.sign(message))
        #expect(key.publicKey.verifies(signature, of: message))
        #expect(!key.publicKey.verifies(signature, of: Array("gapfloW".utf8)))
        #expect(!(try #require(SigningKey.generate())).publicKey.verifies(signature, of: message))
    }

    @Test func randomIdentitiesAreHexadecimalAndDiffer() throws {
        let first = try #require(SecureRandom.hex(bytes: 16))
        #expect(first.count == 32 && first.allSatisfy { $0.isHexDigit && !$0.isUppercase })
        #expect(SecureRandom.hex(bytes: 16) != first)
    }
}
