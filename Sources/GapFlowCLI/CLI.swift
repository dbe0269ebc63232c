import GapFlow
