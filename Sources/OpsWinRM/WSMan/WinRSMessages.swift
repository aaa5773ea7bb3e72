import Foundation

/// The requests of the WinRS text-based shell (MS-WSMV 3.1.4.1.31, 3.1.4.11–3.1.4.14): each builds the body
/// and options of one operation, escaping every value it is given.
enum WinRSMessages {
    /// wst:Create of a `rsp:Shell` (MS-WSMV 3.1.4.1.1, options 3.1.4.1.2). Elements in the order pypsrp sends
    /// them, which Windows accepts.
    static func create(_ options: WinRSShellOptions) throws(WSManError) -> WSManRequest {
        var body =
            "<rsp:Shell><rsp:InputStreams>stdin</rsp:InputStreams><rsp:OutputStreams>stdout stderr</rsp:OutputStreams>"
        if !options.environment.isEmpty {
            body += "<rsp:Environment>"
            for variable in options.environment {
                let name = try XMLEscaping.attribute(variable.name, field: "an environment variable name")
                let value = try XMLEscaping.text(variable.value, field: "environment variable \(variable.name)")
                body += "<rsp:Variable Name=\"\(name)\">\(value)</rsp:Variable>"
            }
            body += "</rsp:Environment>"
        }
        if let idleTimeout = options.idleTimeout {
            body += "<rsp:IdleTimeOut>\(WSManDuration.format(idleTimeout))</rsp:IdleTimeOut>"
        }
        if let name = options.name {
            body += "<rsp:Name>\(try XMLEscaping.text(name, field: "the shell name"))</rsp:Name>"
        }
        if let directory = options.workingDirectory {
            body +=
                "<rsp:WorkingDirectory>\(try XMLEscaping.text(directory, field: "the working directory"))</rsp:WorkingDirectory>"
        }
        body += "</rsp:Shell>"
        var requestOptions: [WSManOption] = []
        if options.noProfile {
            requestOptions.append(WSManOption(name: "WINRS_NOPROFILE", value: "TRUE", mustComply: true))
        }
        if let codepage = options.codepage {
            requestOptions.append(WSManOption(name: "WINRS_CODEPAGE", value: String(codepage)))
        }
        return WSManRequest(operation: .create, shellID: nil, options: requestOptions, body: body)
    }

    /// rsp:CommandLine (MS-WSMV 3.1.4.11). The service joins the command and its arguments with spaces and
    /// quotes nothing: arguments that need quoting must arrive quoted.
    ///
    /// `WINRS_CONSOLEMODE_STDIN=FALSE` gives the process a pipe as standard input, so a script sent over Send
    /// reads to its end; `WINRS_SKIP_CMD_SHELL=FALSE` runs the line through `cmd.exe /c`.
    static func command(
        shellID: String, executable: String, arguments: [String], skipCmdShell: Bool, consoleModeStdin: Bool
    ) throws(WSManError) -> WSManRequest {
        var body =
            "<rsp:CommandLine><rsp:Command>\(try XMLEscaping.text(executable, field: "the command"))</rsp:Command>"
        for argument in arguments {
            body += "<rsp:Arguments>\(try XMLEscaping.text(argument, field: "a command argument"))</rsp:Arguments>"
        }
        body += "</rsp:CommandLine>"
        let options = [
            WSManOption(name: "WINRS_CONSOLEMODE_STDIN", value: consoleModeStdin ? "TRUE" : "FALSE"),
            WSManOption(name: "WINRS_SKIP_CMD_SHELL", value: skipCmdShell ? "TRUE" : "FALSE"),
        ]
        return WSManRequest(operation: .command, shellID: shellID, options: options, body: body)
    }

    /// rsp:Send of one stdin chunk, base64 (MS-WSMV 3.1.4.13, 3.1.4.1.31.1); `End="true"` closes stdin.
    static func send(shellID: String, commandID: String, bytes: some Collection<UInt8>, end: Bool) throws(WSManError)
        -> WSManRequest
    {
        let id = try XMLEscaping.attribute(commandID, field: "the command ID")
        let endAttribute = end ? " End=\"true\"" : ""
        let data = Data(bytes).base64EncodedString()
        let body =
            "<rsp:Send><rsp:Stream Name=\"stdin\" CommandId=\"\(id)\"\(endAttribute)>\(data)</rsp:Stream></rsp:Send>"
        return WSManRequest(operation: .send, shellID: shellID, body: body)
    }

    /// rsp:Receive of stdout and stderr (MS-WSMV 3.1.4.14), with `WSMAN_CMDSHELL_OPTION_KEEPALIVE` so the
    /// shell's idle timer does not run while the client polls.
    static func receive(shellID: String, commandID: String) throws(WSManError) -> WSManRequest {
        let id = try XMLEscaping.attribute(commandID, field: "the command ID")
        let body = "<rsp:Receive><rsp:DesiredStream CommandId=\"\(id)\">stdout stderr</rsp:DesiredStream></rsp:Receive>"
        return WSManRequest(
            operation: .receive, shellID: shellID,
            options: [WSManOption(name: "WSMAN_CMDSHELL_OPTION_KEEPALIVE", value: "TRUE")], body: body)
    }

    /// rsp:Signal (MS-WSMV 3.1.4.12).
    static func signal(shellID: String, commandID: String, _ signal: WinRSSignal) throws(WSManError) -> WSManRequest {
        let id = try XMLEscaping.attribute(commandID, field: "the command ID")
        let body = "<rsp:Signal CommandId=\"\(id)\"><rsp:Code>\(signal.rawValue)</rsp:Code></rsp:Signal>"
        return WSManRequest(operation: .signal, shellID: shellID, body: body)
    }

    /// wst:Delete of the shell, with every command still in it (MS-WSMV 3.1.4.1.31.4).
    static func delete(shellID: String) -> WSManRequest {
        WSManRequest(operation: .delete, shellID: shellID, body: "")
    }
}
