import Foundation
import GapFlow
import Testing

@testable import GapFlowCLI

/// `gapflow validate` on files with bytes that are not text.
@Suite struct ValidateOutputTests {
    @Test func aFileThatIsNotUTF8IsRefusedWithTheByteOffset() throws {
        let shell = Shell()
        let path = shell.folder.appendingPathComponent("latin1.json").path
        try Data(Array("{\n  \"title\": \"Gr".utf8) + [0xFC] + Array("n\"\n}".utf8)).write(to: URL(fileURLWithPath: path))
        let result = shell.run("validate", path)
        #expect(result.status == 1)
        let lines = result.output.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("\(path):2:15: error: INVALID_UTF8: ") == true, "\(lines)")
        #expect(lines.first?.contains("byte offset 16") == true, "\(lines)")
    }
}
