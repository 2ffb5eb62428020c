# SPDX-License-Identifier: GPL-2.0-only
"""KTAP v1 as printed on a kernel console, read back.

Shared by ktap-filter (console -> one KTAP document kunit.py accepts) and
evaluate (console -> per-suite tallies and verdicts).

A console log holds KTAP from several producers: KUnit's module runs (no
top-level header before 6.6), the fallback runner of the test module, the
harness's own init script, and sometimes the boot-time executor's empty
"KTAP version 1 / 1..0".  Everything else on the console (printk chatter)
is ignored.  Nesting follows indentation, as in the KTAP spec: a subtest's
lines are indented further than its parent's, and its result line is at the
parent's indentation.
"""

import re

# "[   12.345678] " and, with CONFIG_PRINTK_CALLER, "[   12.3][    T1] ".
_TIMESTAMP = re.compile(r'^\[\s*\d+\.\d+\](?:\[\s*[TC]\d+\])? ?')
_VERSION = re.compile(r'^(\s*)(?:KTAP|TAP) version (\d+)\s*$')
_SUBTEST = re.compile(r'^(\s*)# Subtest: (.*?)\s*$')
_PLAN = re.compile(r'^(\s*)1\.\.(\d+)\s*$')
_RESULT = re.compile(
    r'^(\s*)(ok|not ok) (\d+)(?: -)?(?: ([^#]*?))?\s*(?:#\s*(.*?))?\s*$')
_DIAG = re.compile(r'^(\s*)#(?: |$)')


def strip_console(line):
    """One console line without line ending, CRs and printk timestamp."""
    line = line.rstrip('\n').replace('\r', '')
    m = _TIMESTAMP.match(line)
    return line[m.end():] if m else line


def is_ktap_line(text):
    """Whether a (stripped) line has a KTAP shape: version, plan, result,
    subtest header or diagnostic."""
    return bool(_VERSION.match(text) or _PLAN.match(text) or
                _RESULT.match(text) or _DIAG.match(text))


def _indent(ws):
    return len(ws.expandtabs(8))


class Result:
    """A result line and, for a test with subtests, what was under it."""

    def __init__(self, name, ok, number, directive='', children=None,
                 plan=None, crashed=False, lineno=0):
        self.name = name
        self.ok = ok
        self.number = number
        self.directive = directive or ''
        self.children = children or []
        self.plan = plan
        self.crashed = crashed
        self.lineno = lineno

    @property
    def skipped(self):
        return self.directive.upper().startswith('SKIP')

    def status(self):
        """PASS, FAIL or SKIP, for a leaf."""
        if self.crashed:
            return 'FAIL'
        if self.skipped:
            return 'SKIP'
        return 'PASS' if self.ok else 'FAIL'

    def leaves(self, prefix=''):
        """(path, status, note) for every leaf under this result.

        Adds a FAIL for each result a plan announced but that never came,
        and one for a parent that failed while none of its leaves did (a
        suite whose init failed, a crash between cases)."""
        path = prefix + self.name if prefix else self.name
        if not self.children:
            note = 'no result line (crashed?)' if self.crashed else \
                self.directive
            return [(path, self.status(), note)]
        out = []
        for child in self.children:
            out.extend(child.leaves(path + '.'))
        if self.plan is not None and len(self.children) < self.plan:
            for k in range(len(self.children) + 1, self.plan + 1):
                out.append(('%s.<missing result %d of %d>' %
                            (path, k, self.plan), 'FAIL',
                            'plan announced %d results' % self.plan))
        if self.status() == 'FAIL' and \
                not any(s == 'FAIL' for _, s, _ in out):
            out.append(('%s.<suite result>' % path, 'FAIL',
                        'no result line (crashed?)' if self.crashed else
                        'reported "not ok" %s' % self.directive))
        return out


class _Block:
    """A test whose header was seen but whose result line was not (yet)."""

    def __init__(self, indent):
        self.indent = indent
        self.name = None
        self.plan = None
        self.children = []
        self.has_version = False

    def fresh(self):
        return self.plan is None and not self.children

    def crashed(self):
        return Result(self.name or '?', False, 0, children=self.children,
                      plan=self.plan, crashed=True)


def parse(lines):
    """Parse stripped console lines; return the top-level Results.

    Top-level results are the suites (or, for flat TAP, the tests).  A
    header that was never closed by its result line (the kernel crashed or
    hung, or the producer stopped) yields a Result marked crashed."""
    root = _Block(0)
    stack = [root]

    def pop_deeper(indent):
        """Pop the blocks deeper than indent; each popped block becomes a
        crashed child of the one popped after it.  Returns the shallowest
        popped block (None if nothing was deeper)."""
        sub = None
        while len(stack) > 1 and stack[-1].indent > indent:
            blk = stack.pop()
            if sub is not None:
                blk.children.append(sub.crashed())
            sub = blk
        return sub

    def header_block(indent, reuse):
        """The block a version or subtest line at indent belongs to."""
        sub = pop_deeper(indent)
        if sub is not None:
            stack[-1].children.append(sub.crashed())
        top = stack[-1]
        if top is root and indent == 0:
            return None
        if top.indent == indent and top is not root:
            if reuse(top):
                return top
            stack.pop()     # an unfinished sibling: it crashed
            stack[-1].children.append(top.crashed())
        blk = _Block(indent)
        stack.append(blk)
        return blk

    for lineno, text in enumerate(lines, 1):
        m = _VERSION.match(text)
        if m:
            blk = header_block(_indent(m.group(1)),
                               lambda b: not b.has_version and b.fresh())
            if blk is not None:
                blk.has_version = True
            continue
        m = _SUBTEST.match(text)
        if m:
            blk = header_block(_indent(m.group(1)),
                               lambda b: b.name is None and b.fresh())
            if blk is not None:
                blk.name = m.group(2)
            continue
        m = _PLAN.match(text)
        if m:
            ind = _indent(m.group(1))
            sub = pop_deeper(ind)
            if sub is not None:
                stack[-1].children.append(sub.crashed())
            if stack[-1].indent < ind:
                stack.append(_Block(ind))
            if stack[-1].plan is None:
                stack[-1].plan = int(m.group(2))
            continue
        m = _RESULT.match(text)
        if m:
            ind = _indent(m.group(1))
            if stack[-1].indent < ind:
                # Results of a subtest that printed no header.
                stack.append(_Block(ind))
            sub = pop_deeper(ind)
            name = (m.group(4) or '').strip()
            if not name and sub is not None and sub.name:
                name = sub.name
            stack[-1].children.append(
                Result(name or '#' + m.group(3), m.group(2) == 'ok',
                       int(m.group(3)), m.group(5),
                       children=sub.children if sub else None,
                       plan=sub.plan if sub else None, lineno=lineno))
    sub = pop_deeper(-1)
    if sub is not None:
        root.children.append(sub.crashed())
    return root.children


def suite_blocks(lines):
    """Split stripped console lines into top-level suite blocks.

    Returns a list of (name, [lines], finished): the lines run from the
    suite's first header line to its top-level result line.  Console
    chatter (un-indented lines that are not KTAP) is dropped; indented
    lines inside a block (the rest of a multi-line KUnit message) are
    kept.  A suite that never printed its result line comes back with
    finished False and the lines it has."""
    blocks = []
    cur = None
    base = None     # indentation of the current block's header

    for text in lines:
        ktap = is_ktap_line(text)
        if cur is None and not ktap:
            continue
        m = _RESULT.match(text)
        top_result = bool(m) and _indent(m.group(1)) == 0
        if cur is None:
            if top_result:
                # A result with no block before it: a flat test.
                blocks.append(((m.group(4) or '').strip(), [text], True))
                continue
            mh = _VERSION.match(text) or _SUBTEST.match(text) or \
                _PLAN.match(text)
            if not mh or _indent(mh.group(1)) == 0:
                # A top-level header (the filter writes its own) or a
                # stray line between suites.
                continue
            cur = [text]
            base = len(text) - len(text.lstrip())
            continue
        if not ktap and not text[:1].isspace():
            continue
        mh = _VERSION.match(text) or _PLAN.match(text)
        if mh and _indent(mh.group(1)) == 0:
            # Another run's top-level header: this suite never finished.
            blocks.append(('', cur, False))
            cur = None
            continue
        mh = _VERSION.match(text) or _SUBTEST.match(text)
        if mh and _indent(mh.group(1)) == base and \
                any(_PLAN.match(t) for t in cur):
            # A new suite starts while the current one never finished.
            blocks.append(('', cur, False))
            cur = [text]
            continue
        cur.append(text)
        if top_result:
            blocks.append(((m.group(4) or '').strip(), cur, True))
            cur = None
    if cur is not None:
        blocks.append(('', cur, False))
    return blocks


def renumber_top(text, number):
    """Give a top-level result line a new test number."""
    m = _RESULT.match(text)
    assert m and _indent(m.group(1)) == 0
    rest = text[m.end(3):]
    return '%s %d%s' % (m.group(2), number, rest)
