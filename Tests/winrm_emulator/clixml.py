"""The CLIXML powershell.exe writes on stderr when its error and progress streams are redirected:

    #< CLIXML\r\n<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">
    <Obj S="progress" RefId="0">…</Obj><S S="Error">message_x000D__x000A_</S>…</Objs>

One document per process: the header and <Objs> before the first record, each record as it happens, </Objs> at
exit. Strings are escaped the PowerShell serializer's way (`_xHHHH_` for control characters and UTF-16 surrogates,
`_x005F_` for an underscore that would read as an escape).
"""
import re
from xml.sax.saxutils import escape

HEADER = '#< CLIXML\r\n<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">'
FOOTER = "</Objs>"
_LOOKS_ESCAPED = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)")


def escape_string(text):
    text = _LOOKS_ESCAPED.sub("_x005F_", text)
    out = []
    for c in text:
        code = ord(c)
        if code > 0xFFFF:
            code -= 0x10000
            out.append(f"_x{0xD800 + (code >> 10):04X}__x{0xDC00 + (code & 0x3FF):04X}_")
        elif code < 0x20 or 0x7F <= code <= 0x9F or 0xD800 <= code <= 0xDFFF or code in (0xFFFE, 0xFFFF):
            out.append(f"_x{code:04X}_")
        else:
            out.append(escape(c))
    return "".join(out)


class ClixmlWriter:
    def __init__(self, write):
        self.write = write  # takes str; the caller encodes it with the console code page
        self.started = False
        self.ref_id = 0

    def _start(self):
        if not self.started:
            self.started = True
            self.write(HEADER)

    def error(self, message):
        """An error record: one <S S="Error"> per line, as the host's error formatter writes them."""
        self._start()
        lines = message.replace("\r\n", "\n").split("\n")
        self.write("".join(f'<S S="Error">{escape_string(line + chr(13) + chr(10))}</S>' for line in lines))

    def progress(self, activity, status="Processing"):
        self._start()
        if self.ref_id == 0:
            type_names = ('<TN RefId="0"><T>System.Management.Automation.PSCustomObject</T><T>System.Object</T>'
                          "</TN>")
        else:
            type_names = '<TNRef RefId="0" />'
        self.write(f'<Obj S="progress" RefId="{self.ref_id}">{type_names}<MS><I64 N="SourceId">1</I64>'
                   f'<PR N="Record"><AV>{escape_string(activity)}</AV><AI>0</AI><Nil /><PI>-1</PI><PC>-1</PC>'
                   f"<T>Processing</T><SR>-1</SR><SD>{escape_string(status)}</SD></PR></MS></Obj>")
        self.ref_id += 1

    def close(self):
        if self.started:
            self.write(FOOTER)
