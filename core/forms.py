"""What every member-facing form does after a failed post."""


class FocusFirstError:
    """A form mixin: after a failed post the keyboard focus goes to the non-field errors (the
    template marks them an alert, with autofocus) or else to the first invalid field, through
    autofocus, which htmx honours in swapped content and the browser on a page load (no
    script)."""

    def focus_first_error(self) -> None:
        if self.non_field_errors():
            return
        for name in self.fields:
            if name in self.errors:
                self.fields[name].widget.attrs["autofocus"] = True
                return
