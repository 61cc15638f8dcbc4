"""Actions, auth functions and validators of the portal."""
