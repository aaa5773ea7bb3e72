"""Windows command-line splitting (the rules of CommandLineToArgvW and the Microsoft C runtime)."""


def split(line):
    """argv of a Windows command line: whitespace separates, double quotes group, `\\"` is a quote,
    2n backslashes before a quote are n backslashes, `""` inside quotes is a literal quote."""
    args, current, in_quotes, has_token, i = [], [], False, False, 0
    while i < len(line):
        c = line[i]
        if c == "\\":
            j = i
            while j < len(line) and line[j] == "\\":
                j += 1
            count = j - i
            if j < len(line) and line[j] == '"':
                current.append("\\" * (count // 2))
                if count % 2:
                    current.append('"')
                    i = j + 1
                else:
                    i = j
                has_token = True
                continue
            current.append("\\" * count)
            has_token = True
            i = j
            continue
        if c == '"':
            if in_quotes and i + 1 < len(line) and line[i + 1] == '"':
                current.append('"')
                i += 2
                has_token = True
                continue
            in_quotes = not in_quotes
            has_token = True
            i += 1
            continue
        if c in " \t" and not in_quotes:
            if has_token:
                args.append("".join(current))
                current, has_token = [], False
            i += 1
            continue
        current.append(c)
        has_token = True
        i += 1
    if has_token:
        args.append("".join(current))
    return args
