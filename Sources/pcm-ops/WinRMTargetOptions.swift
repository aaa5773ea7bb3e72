import ArgumentParser
import OpsServer

/// The WinRM settings of `targets add` and `targets update` (winrm targets only; "" clears one).
struct WinRMTargetOptions: ParsableArguments {
    @ArgumentParser.Option(help: "winrm: ntlm (default), negotiate or basic (https only).") var winrmAuth: String?
    @ArgumentParser.Option(help: "winrm: http or https (default: https on port 5986, else http).") var winrmScheme:
        String?
    @ArgumentParser.Option(help: "winrm over https: on (default) or off to accept any certificate (not recommended).")
    var tlsVerify: String?
    @ArgumentParser.Option(
        help: "winrm over https: PEM file of the CAs to trust (default: the server's --winrm-ca-bundle).")
    var tlsCaBundle: String?
    @ArgumentParser.Option(help: "winrm: the shell's code page (default 65001, UTF-8).") var winrmCodepage: Int?

    func apply(to spec: inout TargetSpec) throws {
        spec.winrmAuth = winrmAuth
        spec.winrmScheme = winrmScheme
        spec.tlsCABundle = tlsCaBundle
        spec.winrmCodepage = winrmCodepage
        switch tlsVerify {
        case nil: break
        case "on": spec.tlsVerify = true
        case "off": spec.tlsVerify = false
        case let other?: throw ValidationError("invalid --tls-verify '\(other)': use on or off")
        }
    }
}
