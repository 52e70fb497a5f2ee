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
                widget = self.fields[name].widget
                if getattr(widget, "option_inherits_attrs", False):
                    # Radios: every option inherits the widget's attrs, and a page may have
                    # only one autofocus (valid HTML), so the first option alone gets it.
                    widget.create_option = _first_option_autofocused(widget.create_option)
                else:
                    widget.attrs["autofocus"] = True
                return


def _first_option_autofocused(create_option):
    def create(name, value, label, selected, index, subindex=None, attrs=None):
        option = create_option(name, value, label, selected, index, subindex, attrs)
        if index == 0 and not subindex:
            option["attrs"]["autofocus"] = True
        return option

    return create
