"""The Asterisk AMI backend of the telephony port.

Only this package knows AMI names; the rest of the system sees ``dialer.telephony``. The
composition root builds ``AmiSettings`` and ``AmiTelephony(settings=..., clock=...)``.

What the Asterisk side must provide (``config/asterisk/``):
* manager.conf: a user with read ``call,agent,user,system`` (plus write ``originate,call,
  agent``) and ``channelvars = XUBAO_CALL_ID`` so listings name our calls after a restart;
* the dialer context: Exten = queue name, answer, optional AMD then
  ``UserEvent(XubaoAmd,AmdStatus: ${AMDSTATUS})``, Queue; ``UserEvent(XubaoAbandon)`` where
  the safe message is played; ``<route_context>,<agent>,1`` and ``<play_context>,play,1``
  (plays ``${XUBAO_PROMPT}``) for ``route_to_agent`` and ``play``;
* MixMonitor option ``D`` writes interleaved stereo and needs a ``.raw`` file name: the
  adapter asks for ``<recording_root>/<path with .raw>`` (8 kHz 16-bit, 2 channels).
"""

from dialer.asterisk.adapter import AmiTelephony
from dialer.asterisk.settings import AmiSettings

__all__ = ["AmiSettings", "AmiTelephony"]
