"""What exists in Asterisk 22: applications, functions, options, classes.

Sources, looked up for this list (not guessed):

* applications: the "Dialplan Applications" index of the Asterisk 22 and 21
  documentation (docs.asterisk.org/Asterisk_22_Documentation/API_Documentation/
  Dialplan_Applications), each with the module that registers it, and the
  fixture dialplans that a real Asterisk 22.10.1 ran. Macro and Monitor are
  left out on purpose: Asterisk 21 removed them.
* queues.conf options: ``queue_set_param()`` in apps/app_queue.c (the keys it
  accepts before "Unknown keyword in queue") plus the options that the current
  configs/samples/queues.conf.sample documents; ``membermacro`` went with Macro.
* manager.conf classes: configs/samples/manager.conf.sample ("Authorization for
  various classes"); advanced ``eventfilter(...)`` criteria: the AMI Event
  Filtering page (Asterisk 22.1 and later).
* pjsip.conf types: the sorcery object types of res_pjsip and its modules.
"""

from __future__ import annotations

__all__ = [
    "APPLICATIONS",
    "EVENTFILTER_CRITERIA",
    "FUNCTIONS",
    "MANAGER_CLASSES",
    "PJSIP_TYPES",
    "QUEUE_EMPTY_CONDITIONS",
    "QUEUE_GENERAL_OPTIONS",
    "QUEUE_OPTIONS",
    "QUEUE_STRATEGIES",
]

CORE = "core"

# Application -> the module that registers it ("core" = built into the
# asterisk binary: pbx_builtins.c, pbx_variables.c, features.c; always there).
# Asterisk matches application names case-insensitively.
APPLICATIONS: dict[str, str] = {
    "Answer": CORE,
    "BackGround": CORE,
    "Busy": CORE,
    "Congestion": CORE,
    "ExecIfTime": CORE,
    "Goto": CORE,
    "GotoIf": CORE,
    "GotoIfTime": CORE,
    "Hangup": CORE,
    "Incomplete": CORE,
    "NoOp": CORE,
    "Proceeding": CORE,
    "Progress": CORE,
    "Ringing": CORE,
    "SayAlpha": CORE,
    "SayDigits": CORE,
    "SayNumber": CORE,
    "Set": CORE,
    "MSet": CORE,
    "Wait": CORE,
    "WaitDigit": CORE,
    "WaitExten": CORE,
    "AddQueueMember": "app_queue",
    "PauseQueueMember": "app_queue",
    "Queue": "app_queue",
    "QueueLog": "app_queue",
    "QueueUpdate": "app_queue",
    "RemoveQueueMember": "app_queue",
    "UnpauseQueueMember": "app_queue",
    "AGI": "res_agi",
    "EAGI": "res_agi",
    "AMD": "app_amd",
    "AudioSocket": "app_audiosocket",
    "Authenticate": "app_authenticate",
    "BackgroundDetect": "app_talkdetect",
    "Bridge": CORE,
    "BridgeAdd": "app_bridgeaddchan",
    "BridgeWait": "app_bridgewait",
    "ChanIsAvail": "app_chanisavail",
    "ChanSpy": "app_chanspy",
    "ExtenSpy": "app_chanspy",
    "ChannelRedirect": "app_channelredirect",
    "ConfBridge": "app_confbridge",
    "ControlPlayback": "app_controlplayback",
    "Dial": "app_dial",
    "Directory": "app_directory",
    "DumpChan": "app_dumpchan",
    "Echo": "app_echo",
    "Exec": "app_exec",
    "ExecIf": "app_exec",
    "Gosub": "app_stack",
    "GosubIf": "app_stack",
    "Return": "app_stack",
    "StackPop": "app_stack",
    "Log": "app_verbose",
    "Verbose": "app_verbose",
    "MixMonitor": "app_mixmonitor",
    "StopMixMonitor": "app_mixmonitor",
    "MusicOnHold": "res_musiconhold",
    "Originate": "app_originate",
    "Page": "app_page",
    "Playback": "app_playback",
    "PlayTones": "app_playtones",
    "StopPlayTones": "app_playtones",
    "Read": "app_read",
    "ReadExten": "app_readexten",
    "Record": "app_record",
    "SendDTMF": "app_senddtmf",
    "Stasis": "app_stasis",
    "System": "app_system",
    "UserEvent": "app_userevent",
    "VoiceMail": "app_voicemail",
    "VoiceMailMain": "app_voicemail",
    "WaitForNoise": "app_waitforsilence",
    "WaitForSilence": "app_waitforsilence",
    "While": "app_while",
    "EndWhile": "app_while",
    "ExitWhile": "app_while",
    "ContinueWhile": "app_while",
}

# Dialplan function -> module. Only the ones a Xubao or fixture dialplan may
# reasonably use; anything else is flagged so a typo cannot slip through.
FUNCTIONS: dict[str, str] = {
    "CALLERID": "func_callerid",
    "CONNECTEDLINE": "func_callerid",
    "CHANNEL": "func_channel",
    "CUT": "func_cut",
    "FILTER": "func_strings",
    "LEN": "func_strings",
    "REGEX": "func_strings",
    "STRFTIME": "func_strings",
    "TOUPPER": "func_strings",
    "TOLOWER": "func_strings",
    "IF": "func_logic",
    "ISNULL": "func_logic",
    "EXISTS": "func_logic",
    "GLOBAL": "func_global",
    "SHARED": "func_global",
    "MATH": "func_math",
    "HANGUPCAUSE": "func_hangupcause",
    "PJSIP_HEADER": "res_pjsip_header_funcs",
    "QUEUE_MEMBER": "app_queue",
    "QUEUE_EXISTS": "app_queue",
    "RAND": "func_rand",
    "URIENCODE": "func_uri",
}

QUEUE_GENERAL_OPTIONS = frozenset(
    {
        "persistentmembers",
        "autofill",
        "monitor-type",
        "updatecdr",
        "shared_lastcall",
        "negative_penalty_invalid",
        "log_membername_as_agent",
        "log-restricted-caller-id",
        "force_longest_waiting_caller",
        "enable_cidname_logging",
        "keepstats",
    }
)

QUEUE_OPTIONS = frozenset(
    {
        "member",
        "musicclass",
        "music",
        "musiconhold",
        "announce",
        "context",
        "timeout",
        "ringinuse",
        "setinterfacevar",
        "setqueuevar",
        "setqueueentryvar",
        "monitor-format",
        "membergosub",
        "queue-youarenext",
        "queue-thereare",
        "queue-callswaiting",
        "queue-quantity1",
        "queue-quantity2",
        "queue-holdtime",
        "queue-minutes",
        "queue-minute",
        "queue-seconds",
        "queue-thankyou",
        "queue-callerannounce",
        "queue-reporthold",
        "announce-frequency",
        "announce-to-first-user",
        "min-announce-frequency",
        "announce-round-seconds",
        "announce-holdtime",
        "announce-position",
        "announce-position-limit",
        "announce-position-only-up",
        "periodic-announce",
        "periodic-announce-frequency",
        "periodic-announce-startdelay",
        "relative-periodic-announce",
        "random-periodic-announce",
        "retry",
        "wrapuptime",
        "penaltymemberslimit",
        "autofill",
        "monitor-type",
        "autopause",
        "autopausedelay",
        "autopausebusy",
        "autopauseunavail",
        "maxlen",
        "servicelevel",
        "strategy",
        "joinempty",
        "leavewhenempty",
        "reportholdtime",
        "memberdelay",
        "weight",
        "timeoutrestart",
        "defaultrule",
        "timeoutpriority",
    }
)

QUEUE_STRATEGIES = frozenset(
    {
        "ringall",
        "leastrecent",
        "fewestcalls",
        "random",
        "rrmemory",
        "rrordered",
        "linear",
        "wrandom",
    }
)

# parse_empty_options() in app_queue.c; yes/no/strict/loose are the old spellings.
QUEUE_EMPTY_CONDITIONS = frozenset(
    {
        "paused",
        "penalty",
        "inuse",
        "ringing",
        "invalid",
        "wrapup",
        "unavailable",
        "unknown",
        "loose",
        "strict",
        "yes",
        "no",
    }
)

MANAGER_CLASSES = frozenset(
    {
        "all",
        "system",
        "call",
        "log",
        "verbose",
        "agent",
        "user",
        "config",
        "command",
        "dtmf",
        "reporting",
        "cdr",
        "dialplan",
        "originate",
        "agi",
        "cc",
        "aoc",
        "test",
        "security",
        "message",
    }
)

# eventfilter(<criterion>,...) = <expression>; each criterion at most once.
EVENTFILTER_CRITERIA: dict[str, frozenset[str] | None] = {
    "action": frozenset({"include", "exclude"}),
    "name": None,
    "header": None,
    "method": frozenset({"regex", "exact", "starts_with", "ends_with", "contains", "none"}),
}

PJSIP_TYPES = frozenset(
    {
        "transport",
        "endpoint",
        "aor",
        "auth",
        "identify",
        "registration",
        "domain_alias",
        "acl",
        "contact",
        "global",
        "system",
        "outbound-publish",
        "inbound-publication",
        "asterisk-publication",
        "resource_list",
        "phoneprov",
    }
)
