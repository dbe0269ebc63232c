import Foundation
import GapFlowCLI

exit(CLI.run(Array(CommandLine.arguments.dropFirst()), environment: .process))
