"""A WinRM (WS-Management / WinRS) server emulator for the test suites: see README.md."""
