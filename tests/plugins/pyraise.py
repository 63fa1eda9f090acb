"""Test plugin: raises while it loads (test_python_plugins)."""
import natter


def never(call):
    call.print("never")


# Registered before the exception: it must be gone again afterwards.
natter.command("pyraise", never, summary="never there")
raise ValueError("pyraise will not load")
