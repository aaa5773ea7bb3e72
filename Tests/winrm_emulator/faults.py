"""The faults Windows answers WinRS requests with (code, subcode, reason and WSManFault code and message).

Texts and codes come from recordings of real hosts (pypsrp's test suite) and from the WSManFault messages users
report; the numeric codes are the ERROR_WSMAN_* HRESULTs of winerror.h.
"""
from .soap import ADDRESSING_FAULT_ACTION, Fault

SHELL_PLUGIN = ("Shell cmd plugin", "%systemroot%\\system32\\winrscmd.dll")
OPERATION_TIMEOUT_TEXT = ("The WS-Management service cannot complete the operation within the time specified in "
                          "OperationTimeout.  ")
INVALID_SELECTORS_TEXT = ("The WS-Management service cannot process the request because the request contained "
                          "invalid selectors for the resource. ")


def operation_timeout():
    return Fault("s:Receiver", "w:TimedOut", OPERATION_TIMEOUT_TEXT, 2150858793)


def shell_not_found(shell_id):
    return Fault("s:Sender", "w:InvalidSelectors", INVALID_SELECTORS_TEXT, 2150858843,
                 message=f"The request for the Windows Remote Shell with ShellId {shell_id} failed because the shell "
                         "was not found on the server. Possible causes are: the specified ShellId is incorrect or the "
                         "shell no longer exists on the server. Provide the correct ShellId or create a new shell and "
                         "retry the operation. ",
                 detail="http://schemas.dmtf.org/wbem/wsman/1/wsman/faultDetail/UnexpectedSelectors")


def shell_id_required():
    return Fault("s:Sender", "w:InvalidSelectors", INVALID_SELECTORS_TEXT, 2150858843,
                 message="The Windows Remote Shell cannot process the request because it requires the following "
                         "selector: ShellId. Retry with the correct selector. ",
                 detail="http://schemas.dmtf.org/wbem/wsman/1/wsman/faultDetail/UnexpectedSelectors")


def command_not_found():
    return Fault("s:Sender", "w:InvalidSelectors", INVALID_SELECTORS_TEXT, 2150858843,
                 message="The Windows Remote Shell received a request to perform an operation on a command identifier "
                         "that does not exist. Either the command has completed execution or the client specified an "
                         "invalid command identifier. ",
                 detail="http://schemas.dmtf.org/wbem/wsman/1/wsman/faultDetail/UnexpectedSelectors")


def action_not_supported(action):
    return Fault("s:Sender", "a:ActionNotSupported",
                 "The WS-Management service does not support the action specified in the request. ", 2150858771,
                 message=f"The WS-Management service does not support the action specified in the request: "
                         f"{action or '(none)'}. ",
                 detail=action, action=ADDRESSING_FAULT_ACTION)


def header_required(name):
    return Fault("s:Sender", "a:MessageInformationHeaderRequired",
                 "The WS-Management service cannot process the request. The request does not have all the expected "
                 "SOAP headers. ", 2150858769,
                 message=f"The WS-Management service cannot process the request. The request does not have all the "
                         f"expected SOAP headers: {name} is missing. ",
                 action=ADDRESSING_FAULT_ACTION)


def resource_not_found(uri):
    return Fault("s:Sender", "a:DestinationUnreachable",
                 "The WS-Management service cannot process the request. The service cannot find the resource "
                 "identified by the resource URI and selectors. ", 2150858752,
                 message=f"The WS-Management service cannot process the request. The resource URI ({uri}) was not "
                         "found in the WS-Management catalog. This emulator serves only the WinRS cmd shell; "
                         "PowerShell remoting (PSRP) is not emulated. ",
                 action=ADDRESSING_FAULT_ACTION)


def envelope_too_small():
    return Fault("s:Sender", "w:EncodingLimit",
                 "The WS-Management service cannot process the request because the envelope size in the request is "
                 "too small. ", 2150858878,
                 detail="http://schemas.dmtf.org/wbem/wsman/1/wsman/faultDetail/MinimumEnvelopeLimit")


def invalid_timeout():
    return Fault("s:Sender", "w:InvalidParameter",
                 "The WS-Management service cannot process the request because the timeout header in the request is "
                 "invalid. ", 2150858881)


def invalid_body(what):
    return Fault("s:Sender", "w:SchemaValidationError",
                 "The SOAP XML in the message does not match the corresponding XML schema definition. Change the XML "
                 "and retry. ", 2150858817,
                 message=f"The SOAP XML in the message does not match the corresponding XML schema definition: "
                         f"{what}. ")


def invalid_option(name, value):
    return Fault("s:Sender", "w:InvalidOptions",
                 "The WS-Management service cannot process the request because one or more of the options has an "
                 "invalid value. ", 2150858835,
                 message=f"The WS-Management service cannot process the request because the option {name} has an "
                         f"invalid value: {value}. ",
                 detail="http://schemas.dmtf.org/wbem/wsman/1/wsman/faultDetail/InvalidValue")


def parameter_incorrect():
    return Fault("s:Sender", "w:InvalidParameter", "The parameter is incorrect. ", 87,
                 provider=SHELL_PLUGIN, detail="http://schemas.dmtf.org/wbem/wsman/1/wsman/faultDetail/InvalidValue")


def file_not_found():
    return Fault("s:Receiver", "w:InternalError", "The system cannot find the file specified. ", 2147942402,
                 provider=SHELL_PLUGIN)


def pipe_closing():
    return Fault("s:Receiver", "w:InternalError", "The pipe is being closed. ", 232, provider=SHELL_PLUGIN)


def shell_quota(limit):
    return Fault("s:Sender", "w:QuotaLimit",
                 "The WS-Management service cannot process the request. The maximum number of concurrent shells for "
                 "this user has been exceeded. ", 2150859173,
                 message=f"The WS-Management service cannot process the request. This user is allowed a maximum "
                         f"number of {limit} concurrent shells, which has been exceeded. Close existing shells or "
                         "raise the quota for this user. ")


def shell_id_in_use(shell_id):
    return Fault("s:Sender", "w:AlreadyExists",
                 "The WS-Management service cannot create the resource because it already exists. ", 2150858803,
                 message=f"A shell with ShellId {shell_id} already exists. ")
