"""The Asterisk AMI backend of the telephony port.

Only this package knows AMI names; the rest of the system sees ``dialer.telephony``.
"""
