import GapFlowCLI
