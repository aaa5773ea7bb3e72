/// The part of SPNEGO (RFC 4178) WinRM's `Negotiate` scheme needs, with NTLM as the only mechanism.
enum SPNEGO {
    /// 1.3.6.1.5.5.2, the SPNEGO mechanism (RFC 4178 §4.1).
    static let spnegoOID: [UInt8] = [0x2B, 0x06, 0x01, 0x05, 0x05, 0x02]
    /// 1.3.6.1.4.1.311.2.2.10, NTLMSSP.
    static let ntlmOID: [UInt8] = [0x2B, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x02, 0x02, 0x0A]

    /// MechTypeList: SEQUENCE OF MechType holding NTLMSSP only. Both mechListMICs are computed over these DER bytes.
    static let mechTypeList: [UInt8] = DER.encode(tag: DER.sequence, DER.encode(tag: DER.objectIdentifier, ntlmOID))

    /// The initial token: InitialContextToken ([APPLICATION 0], RFC 2743 §3.1) with the SPNEGO OID and a
    /// NegTokenInit (CHOICE [0]) carrying mechTypes [0] and mechToken [2] (the NTLM NEGOTIATE_MESSAGE).
    static func negTokenInit(mechToken: [UInt8]) -> [UInt8] {
        let fields =
            DER.encode(tag: DER.context(0), mechTypeList)
            + DER.encode(tag: DER.context(2), DER.encode(tag: DER.octetString, mechToken))
        let negotiationToken = DER.encode(tag: DER.context(0), DER.encode(tag: DER.sequence, fields))
        return DER.encode(tag: 0x60, DER.encode(tag: DER.objectIdentifier, spnegoOID) + negotiationToken)
    }

    /// negState (RFC 4178 §4.2.2).
    enum NegState: UInt8, Equatable {
        case acceptCompleted = 0
        case acceptIncomplete = 1
        case reject = 2
        case requestMIC = 3
    }

    /// NegTokenResp (RFC 4178 §4.2.2), CHOICE [1] of NegotiationToken.
    struct NegTokenResp: Equatable {
        var negState: NegState?
        /// The OID content octets.
        var supportedMech: [UInt8]?
        var responseToken: [UInt8]?
        var mechListMIC: [UInt8]?

        init(
            negState: NegState? = nil, supportedMech: [UInt8]? = nil, responseToken: [UInt8]? = nil,
            mechListMIC: [UInt8]? = nil
        ) {
            self.negState = negState
            self.supportedMech = supportedMech
            self.responseToken = responseToken
            self.mechListMIC = mechListMIC
        }

        /// Parses strictly: `[1] { SEQUENCE { [0]..[3] } }` with fields in order, each at most once, nothing after.
        init(parsing bytes: [UInt8]) throws(NTLMError) {
            var outer = DERReader(bytes)
            let (choice, choiceContent) = try outer.readElement()
            guard choice == DER.context(1) else {
                throw .malformedSPNEGO(
                    choice == DER.context(0) || choice == 0x60
                        ? "expected NegTokenResp, got NegTokenInit"
                        : "not a NegTokenResp (tag 0x\(String(choice, radix: 16)))")
            }
            try outer.expectEnd("NegTokenResp")
            var choiceReader = choiceContent
            var fields = try choiceReader.read(tag: DER.sequence, "NegTokenResp")
            try choiceReader.expectEnd("NegTokenResp")
            self.init()
            var lastField = -1
            while !fields.isAtEnd {
                let (tag, wrapper) = try fields.readElement()
                let number = Int(tag) - Int(DER.context(0))
                guard (0...3).contains(number) else {
                    throw .malformedSPNEGO("unknown NegTokenResp field tag 0x\(String(tag, radix: 16))")
                }
                guard number > lastField else { throw .malformedSPNEGO("NegTokenResp field [\(number)] out of order") }
                lastField = number
                var inner = wrapper
                switch number {
                case 0:
                    let value = try inner.read(tag: DER.enumerated, "negState").contentBytes
                    guard value.count == 1, let state = NegState(rawValue: value[0]) else {
                        throw .malformedSPNEGO("unknown negState \(value.hexString)")
                    }
                    negState = state
                case 1: supportedMech = try inner.read(tag: DER.objectIdentifier, "supportedMech").contentBytes
                case 2: responseToken = try inner.read(tag: DER.octetString, "responseToken").contentBytes
                default: mechListMIC = try inner.read(tag: DER.octetString, "mechListMIC").contentBytes
                }
                try inner.expectEnd("NegTokenResp field [\(number)]")
            }
        }

        var encoded: [UInt8] {
            var fields: [UInt8] = []
            if let negState {
                fields += DER.encode(tag: DER.context(0), DER.encode(tag: DER.enumerated, [negState.rawValue]))
            }
            if let supportedMech {
                fields += DER.encode(tag: DER.context(1), DER.encode(tag: DER.objectIdentifier, supportedMech))
            }
            if let responseToken {
                fields += DER.encode(tag: DER.context(2), DER.encode(tag: DER.octetString, responseToken))
            }
            if let mechListMIC {
                fields += DER.encode(tag: DER.context(3), DER.encode(tag: DER.octetString, mechListMIC))
            }
            return DER.encode(tag: DER.context(1), DER.encode(tag: DER.sequence, fields))
        }
    }
}
