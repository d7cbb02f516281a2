"""Check-in prompts at a terminal: questionary's, with the stop keys, wrapped at words.

questionary is imported inside the terminal prompter's methods: it costs more start-up
than the rest of quietwork together, and commands given all their flags never need it.
One plain line each otherwise: run.plain_prompts.
"""

from __future__ import annotations

import contextlib
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

from quietwork.output import fit, terminal_width
from quietwork.run.fitting import echoed, lay_out, shortened, wrapped
from quietwork.run.plain_prompts import RETRY, anchor_line, parse_rating, with_scale
from quietwork.run.ports import SKIPPED, Skipped, StopRequested
from quietwork.text import clean
from quietwork.vocabulary import BODY_AREAS, NOTICED, STATE_LABELS

if TYPE_CHECKING:
    from prompt_toolkit.application import Application
    from prompt_toolkit.formatted_text import AnyFormattedText, StyleAndTextTuples
    from prompt_toolkit.input import Input
    from prompt_toolkit.output import Output
    from questionary import Question

TERMINAL_STOP_HINT = "(type 0 to 10 and Enter; Enter alone skips; s or Esc stops)"
STOP_KEYS_HINT = "s or Esc stops"
SKIP = "skip"
SKIPPED_ECHO = "skipped"  # left on screen after a question that Enter alone skipped
STOPPED_ECHO = "stopped"  # left on screen after a question that s or Esc stopped at
_Esc = Literal["now", "wait"] | None  # how Esc stops a text prompt (TerminalPrompter._ask)


class TerminalPrompter:
    """questionary prompts, only via `unsafe_ask()`: Ctrl-C raises, Ctrl-D raises EOFError.

    In a practice, s or Esc stops at every question: the menus (which way it leans, the
    body, what was noticed, "what's there?", yes/no questions) take both and raise
    StopRequested; the note takes Esc (s is a letter of it); the 0-10 question takes Esc
    as well as `s` + Enter and returns None. `ask_text` (your own words for `anchors`)
    has no stop keys. `input` and `output` (prompt_toolkit's) are for tests.
    """

    def __init__(self, *, input: Input | None = None, output: Output | None = None) -> None:
        self._io: dict[str, Any] = {}
        if input is not None:
            self._io["input"] = input
        if output is not None:
            self._io["output"] = output

    def _laid_out(self, message: str, instruction: str | None) -> tuple[str, str | None]:
        """`lay_out` for this terminal's width, the encoding's fallbacks applied first."""
        return lay_out(fit(message), fit(instruction) if instruction else instruction,
                       self._width())

    def _width(self) -> int:
        """The terminal's columns (prompt_toolkit's output's, when a test gives one).

        questionary draws on stdout as it is now: the terminal (stderr) when stdout is
        sent to a file (run.terminal.facing_the_person).
        """
        output = self._io.get("output")
        return int(output.get_size().columns) if output is not None else terminal_width()

    def _titled(self, label: str, *, marks: bool = False) -> str:
        """A menu line's label (cleaned), shortened between words to fit beside the pointer."""
        room = self._width() - 1 - (5 if marks else 3)  # the pointer, a checkbox's mark, spaces
        return shortened(fit(clean(label, single_line=True)), room, fit(" …"))

    def _ask(self, question: Question, asked: str, answered: Callable[[Any], str], *,
             menu: bool = False, esc: _Esc = None) -> Any:
        """Ask, with the stop keys added to the question's own key bindings; what stays
        on screen is `asked` and `answered(the answer)`, wrapped at words (`_echo`).

        A menu: Ctrl-D ends input (EOFError, as in an empty text prompt); s, S and Esc
        (at once) raise StopRequested. A text prompt: Esc raises StopRequested when `esc`
        is "now" (no waiting for Alt+key sequences: fine for a number) or "wait"
        (Alt+b and the like keep working in the person's words); None: no stop keys.

        Esc acts within a frame either way: prompt_toolkit waits `ttimeoutlen` (0.5 s)
        for what may follow a lone ESC byte, then, when Esc starts a longer binding
        (Alt+b in the note), `timeoutlen` (1 s) more, and a key typed meanwhile became
        Alt+that key ("clear" left a note "lear"). Both waits are run.keys.ESC_WAIT here,
        as in the practice view: an arrow key or Alt+b comes in one write, well within it.
        """
        from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings
        from prompt_toolkit.keys import Keys

        from quietwork.run.keys import ESC_WAIT

        added = KeyBindings()

        def end_of_input(event: Any) -> None:
            event.app.exit(exception=EOFError, style="class:aborting")

        def stop(event: Any) -> None:
            event.app.exit(exception=StopRequested, style="class:aborting")

        if menu:
            added.add(Keys.ControlD, eager=True)(end_of_input)
            added.add("s")(stop)
            added.add("S")(stop)
            added.add(Keys.Escape, eager=True)(stop)
        elif esc is not None:
            added.add(Keys.Escape, eager=esc == "now")(stop)
        app = question.application
        if added.bindings:
            # Last in the merge: among bindings for the same key, the last one wins.
            app.key_bindings = (
                added if app.key_bindings is None
                else merge_key_bindings([app.key_bindings, added])
            )
        app.ttimeoutlen = app.timeoutlen = ESC_WAIT
        app.erase_when_done = True  # questionary's own answered line is cut at the edge
        _keep_scrollback(app.output)
        _whole_validation_message(app)
        try:
            answer = question.unsafe_ask()
        except StopRequested:
            self._echo(app, asked, STOPPED_ECHO)  # what was pressed, and what it did
            raise
        except (EOFError, KeyboardInterrupt):
            self._echo(app, asked, "")
            raise
        self._echo(app, asked, answered(answer))
        return answer

    def _echo(self, app: Any, asked: str, answer: str) -> None:
        """The question and its answer (or the question alone), where the question was:
        broken between words (run.fitting.echoed), in questionary's colours.

        A terminal gone meanwhile (a hang-up) costs only this: the answer is kept.
        """
        from prompt_toolkit import print_formatted_text
        from prompt_toolkit.formatted_text import FormattedText

        shown = echoed(fit(asked), fit(answer), self._width())
        with contextlib.suppress(OSError):
            app.output.show_cursor()  # a menu hides it; erasing shows it again from 3.0.48
            print_formatted_text(FormattedText(shown), output=app.output, style=app.style,
                                 include_default_pygments_style=False)

    def distress(self, question: str, anchors: Mapping[int, str]) -> int | Skipped | None:
        """Type 0-10 and Enter; Enter alone skips (SKIPPED); None for s / stop or Esc.

        Anything else shows a kind hint and asks again.
        """
        import questionary

        message = with_scale(question)
        words = anchor_line(anchors)
        if words:
            # questionary pads the message with a space: the hint lines up with the words.
            message += f"\n  {words}\n"
        message, hint = self._laid_out(message, TERMINAL_STOP_HINT)

        def valid(answer: str) -> bool | str:
            return parse_rating(answer) is not None or RETRY

        asked = questionary.text(message, validate=valid, instruction=hint, **self._io)
        try:
            answer = parse_rating(str(self._ask(asked, with_scale(question), _typed_or_skipped,
                                                esc="now")))
        except StopRequested:
            return None
        if answer == "skip":
            return SKIPPED
        return None if answer == "stop" else answer

    def select(self, question: str, options: Sequence[tuple[str, str]]) -> str:
        """One of (label, value) options, with the stop keys of every menu here."""
        import questionary

        question = clean(question, single_line=True)
        message, hint = self._laid_out(question, f"(arrow keys, Enter; {STOP_KEYS_HINT})")
        labels = {value: label for label, value in reversed(options)}  # the first one's
        answer = self._ask(
            questionary.select(
                message,
                choices=[
                    questionary.Choice(self._titled(label), value=value)
                    for label, value in options
                ],
                instruction=hint,
                pointer=_pointer(),
                **self._io,
            ),
            question,
            lambda value: clean(labels[value], single_line=True),
            menu=True,
        )
        return str(answer)

    def state(self) -> str | None:
        """Which way it leans, in plain words; None when skipped."""
        import questionary

        choices = [questionary.Choice(SKIP, value=SKIP)] + [
            questionary.Choice(self._titled(label), value=value)
            for value, label in STATE_LABELS.items()
        ]
        question = "Which way does it lean?"
        message, hint = self._laid_out(question,
                                       f"(arrow keys, Enter; Enter now skips; {STOP_KEYS_HINT})")
        answer = self._ask(
            questionary.select(
                message,
                choices=choices,
                pointer=_pointer(),
                instruction=hint,
                **self._io,
            ),
            question,
            lambda value: STATE_LABELS.get(value, SKIP),
            menu=True,
        )
        return None if answer in (None, SKIP) else str(answer)

    def body(self) -> tuple[str, ...]:
        """Where in the body, any number of areas; () when skipped."""
        return self.choose("Where do you notice it in your body?", BODY_AREAS)

    def noticed(self) -> tuple[str, ...]:
        """What the person noticed during the practice; () when skipped."""
        return self.choose("Did you notice any of these?", NOTICED)

    def note(self) -> str | None:
        """A short note in the person's words; None when skipped. Esc stops."""
        return self._text("A note, if you like:", "(Enter skips; Esc stops)", 500, "wait",
                          SKIPPED_ECHO) or None

    def ask_text(self, question: str, *, hint: str = "", max_length: int = 500) -> str:
        """One line of the person's words (cleaned); "" when they just press Enter."""
        return self._text(question, hint, max_length, None, "")

    def _text(self, question: str, hint: str, max_length: int, esc: _Esc, empty: str) -> str:
        import questionary

        def valid(answer: str) -> bool | str:
            short = len(clean(answer, single_line=True)) <= max_length
            return short or f"Please keep it to {max_length} characters."

        def kept(typed: object) -> str:
            return clean(_typed(str(typed or "")), single_line=True)

        message, shown = self._laid_out(question, hint or None)
        answer = self._ask(
            questionary.text(message, validate=valid, instruction=shown, **self._io),
            clean(question, single_line=True), lambda typed: kept(typed) or empty, esc=esc,
        )
        return kept(answer)

    def choose(self, question: str, options: Sequence[str]) -> tuple[str, ...]:
        """A checkbox of the options; Enter with none picked skips."""
        import questionary

        question = clean(question, single_line=True)
        message, hint = self._laid_out(
            question, f"(space picks, Enter goes on; Enter alone skips; {STOP_KEYS_HINT})")
        answer = self._ask(
            questionary.checkbox(
                message,
                # Shown cleaned (options may come from a practice file), returned as given.
                choices=[
                    questionary.Choice(self._titled(option, marks=True), value=option)
                    for option in options
                ],
                pointer=_pointer(marks=True),
                instruction=hint,
                **self._io,
            ),
            question,
            lambda picked: ", ".join(clean(item, single_line=True) for item in picked or ())
            or SKIPPED_ECHO,
            menu=True,
        )
        return tuple(str(item) for item in answer or ())

    def confirm(self, question: str, *, default: bool) -> bool:
        """A yes/no question; Enter takes the default."""
        import questionary

        question = re.sub(r"\s*\[[yY]/[nN]\]\s*$", "", clean(question, single_line=True))
        message, hint = self._laid_out(question, confirm_keys(default=default))
        asked = questionary.confirm(message, default=default, instruction=hint, **self._io)
        return bool(self._ask(asked, question, lambda yes: "yes" if yes else "no", menu=True))


def confirm_keys(*, default: bool) -> str:
    """A yes/no question's instruction. It replaces questionary's "(y/N)", so it says
    y/N itself; the stop screen leaves room for it (run.views.stop.question_rows)."""
    return f"({'Y/n' if default else 'y/N'}; {STOP_KEYS_HINT}) "


def _pointer(*, marks: bool = False) -> str:
    """questionary's pointer (and a checkbox's marks) as this terminal can show them.

    Its defaults ("»", "●", "○") come out as "?" in ISO-8859-1 or ASCII, where a checked
    and an unchecked body area would look the same.
    """
    from questionary import constants
    from questionary.prompts import common

    if marks:  # read at each redraw from the module: the plain forms keep one cell each
        setattr(common, "INDICATOR_SELECTED", fit(constants.INDICATOR_SELECTED))  # noqa: B010
        setattr(common, "INDICATOR_UNSELECTED", fit(constants.INDICATOR_UNSELECTED))  # noqa: B010
    return fit(constants.DEFAULT_SELECTED_POINTER)


def _typed_or_skipped(answer: Any) -> str:
    """A 0-10 answer as it stays on screen: what was typed, or that Enter skipped it."""
    return str(answer or "").strip() or SKIPPED_ECHO


def _keep_scrollback(output: Output) -> None:
    """prompt_toolkit's "clear to the end of the screen", without tmux copying the screen.

    prompt_toolkit clears from a question's first line down each time it draws the
    question whole (as it ends, when it is erased). tmux (scroll-on-clear, on by
    default) takes a clearing from the top-left corner for a cleared screen and copies
    the screen into its scrollback first: a question at the top of the screen (a fresh
    one, or one a tall menu filled) stayed there twice, once answered and once not.
    The same clearing, from one line lower once the first line is cleared, copies
    nothing; the cursor is put back (ESC 7 / ESC 8) where prompt_toolkit expects it.
    """
    from prompt_toolkit.output.vt100 import Vt100_Output

    if isinstance(output, Vt100_Output):
        write = output.write_raw
        setattr(output, "erase_down", lambda: write("\x1b7\x1b[2K\x1b[B\x1b[J\x1b8"))  # noqa: B010


def _whole_validation_message(app: Application[Any]) -> None:
    """A text prompt's "please type …" shown whole, broken between words, however narrow.

    prompt_toolkit shows a validation message in a toolbar one line high (its Window's
    `height=1`, with no option to change it: python-prompt-toolkit issues 1846 and 2048),
    so at 40 columns "Please type a number from 0 to 10 …" lost its end. Here that
    Window takes the height of what it shows, and what it shows is broken between words
    for the width at each redraw (a resize included).
    """
    from prompt_toolkit.filters import has_validation_error
    from prompt_toolkit.formatted_text import to_formatted_text
    from prompt_toolkit.layout import ConditionalContainer, FormattedTextControl, Window

    def broken(shown: AnyFormattedText) -> Callable[[], StyleAndTextTuples]:
        return lambda: [(style, wrapped(text, app.output.get_size().columns))
                        for style, text, *_ in to_formatted_text(shown)]

    for container in app.layout.walk():
        window = getattr(container, "content", None)
        if (isinstance(container, ConditionalContainer)
                and container.filter is has_validation_error
                and isinstance(window, Window)
                and isinstance(window.content, FormattedTextControl)):
            window.content.text = broken(window.content.text)
            window.height = None  # as high as the lines it shows


def _typed(answer: str) -> str:
    """What was typed, as text the log can hold.

    prompt_toolkit decodes keys in the locale's encoding and keeps bytes outside it as
    lone surrogates: "é" from a UTF-8 terminal under an ASCII locale. Most terminals send
    UTF-8 whatever the locale says; what is not UTF-8 either becomes U+FFFD.
    """
    if not any("\udc80" <= char <= "\udcff" for char in answer):
        return answer
    raw = answer.encode(getattr(sys.stdin, "encoding", None) or "utf-8", "surrogateescape")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("utf-8", "replace")
