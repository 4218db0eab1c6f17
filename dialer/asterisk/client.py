"""The asyncio AMI client: one TCP session per Asterisk, kept alive and re-established.

* ``start()`` connects, reads the greeting, logs in (plain or MD5 challenge) with an
  ``Events:`` class list and optional server-side filters, then keeps the session alive
  with Ping and reconnects with exponential back-off when it drops.
* Actions pending when the connection drops FAIL with ``BackendUnavailable``; they are
  never re-sent (a re-sent Originate is a second call to a customer). After a reconnect
  the ``on_session`` hook runs, so the owner can re-sync (CoreShowChannels, QueueStatus);
  when it fails the session is dropped and the reconnect goes on, so a session is only
  ever "back" once its re-sync is complete.
* ``on_lost(reason)`` runs the moment a logged-in session is lost (EOF, read error, a
  failed re-sync) or Asterisk answers an action "Asterisk is shutting down" (06): that
  answer raises ``BackendUnavailable``, not ``ActionFailed``, since nothing was wrong with
  the action and Asterisk is about to go away.
* Events go to one synchronous ``listener`` (called in the reader task; it must not block)
  and to any number of bounded subscriptions (see ``fanout``).
* Socket errors are translated once, here, into ``dialer.errors``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field

from dialer.asterisk import actions
from dialer.asterisk.actions import Action, ActionIdGenerator, ActionIdSource
from dialer.asterisk.framing import AmiFramer
from dialer.asterisk.messages import Greeting, Message
from dialer.asterisk.routing import ListReply, Pending, Router
from dialer.asterisk.settings import AmiSettings
from dialer.errors import (
    ActionFailed,
    ActionTimeout,
    AuthenticationFailed,
    BackendUnavailable,
    TelephonyError,
)
from dialer.telephony.fanout import Fanout, Subscription
from renewals.clock import Clock

__all__ = ["AmiClient", "ListReply"]

log = logging.getLogger(__name__)

SessionHook = Callable[[bool], Awaitable[None]]
Listener = Callable[[Message], None]
LostHook = Callable[[str], None]

SHUTTING_DOWN = "Asterisk is shutting down"  # an action's error reply during a shutdown (06)


@contextlib.contextmanager
def _translate_socket_errors(what: str) -> Iterator[None]:
    """The one place where OS/socket errors become ``BackendUnavailable``."""
    try:
        yield
    except (OSError, EOFError, asyncio.IncompleteReadError) as exc:
        raise BackendUnavailable(f"{what}: {exc.__class__.__name__}: {exc}") from exc


@dataclass(eq=False)
class _Connection:
    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
    framer: AmiFramer = field(default_factory=AmiFramer)
    greeting: asyncio.Future[Greeting] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )
    closed: asyncio.Event = field(default_factory=asyncio.Event)
    logged_in: bool = False
    tasks: list[asyncio.Task[None]] = field(default_factory=list)


class AmiClient:
    """One AMI session with reconnect; see the module docstring for the guarantees."""

    def __init__(
        self,
        *,
        settings: AmiSettings,
        clock: Clock,
        action_ids: ActionIdSource | None = None,
        listener: Listener | None = None,
        on_session: SessionHook | None = None,
        on_lost: LostHook | None = None,
    ) -> None:
        self._settings = settings
        self._clock = clock
        self._ids = action_ids or ActionIdGenerator()
        self._listener = listener
        self._on_session = on_session
        self._on_lost = on_lost
        self._router = Router()
        self._events: Fanout[Message] = Fanout(maxsize=settings.event_queue_size)
        self._conn: _Connection | None = None
        self._supervisor: asyncio.Task[None] | None = None
        self._closing = False
        self.version = ""

    @property
    def connected(self) -> bool:
        return self._conn is not None and self._conn.logged_in

    def subscribe(self) -> Subscription[Message]:
        """A bounded queue of every event from now on."""
        return self._events.subscribe()

    async def start(self) -> None:
        """Connect and log in once; raise if that fails. Then stay connected until close()."""
        self._closing = False
        await self._open()
        self._supervisor = asyncio.create_task(self._supervise(), name="ami-supervisor")

    async def close(self) -> None:
        """Log off (best effort), stop every task, fail what is pending. Idempotent."""
        if self._closing:
            return
        self._closing = True
        conn = self._conn
        if conn is not None and conn.logged_in:
            with contextlib.suppress(TelephonyError):
                await self._call(actions.logoff(), timeout_s=1.0, conn=conn)
        if self._supervisor is not None:
            self._supervisor.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._supervisor
        if conn is not None:
            await self._drop(conn, "client closed")
        self._events.close_all()

    async def request(self, action: Action, *, timeout_s: float | None = None) -> Message:
        """Send ``action`` and return its response; ``ActionFailed`` on ``Response: Error``."""
        conn = self._ready_connection()
        result = await self._call(action, timeout_s=timeout_s, conn=conn)
        assert isinstance(result, Message)
        return result

    async def request_list(self, action: Action, *, timeout_s: float | None = None) -> ListReply:
        """Send a list action; return its start response, items and Complete event."""
        conn = self._ready_connection()
        result = await self._call(action, timeout_s=timeout_s, conn=conn, is_list=True)
        assert isinstance(result, ListReply)
        return result

    def _ready_connection(self) -> _Connection:
        conn = self._conn
        if conn is None or not conn.logged_in or self._closing:
            raise BackendUnavailable("not connected to Asterisk")
        return conn

    async def _call(
        self,
        action: Action,
        *,
        conn: _Connection,
        timeout_s: float | None = None,
        is_list: bool = False,
    ) -> Message | ListReply:
        wait_s = self._settings.action_timeout_s if timeout_s is None else timeout_s
        action_id = action.action_id if action.action_id is not None else self._ids.next_id()
        future: asyncio.Future[Message | ListReply] = asyncio.get_running_loop().create_future()
        pending = Pending(action_id=action_id, name=action.name, is_list=is_list, future=future)
        self._router.add(pending)
        try:
            async with asyncio.timeout(wait_s):
                if conn.closed.is_set():
                    raise BackendUnavailable("connection lost", action_id=action_id)
                with _translate_socket_errors(f"sending {action.name}"):
                    conn.writer.write(action.encode(action_id))
                    await conn.writer.drain()
                log.debug("sent %s (ActionID %s)", action.masked(), action_id)
                return await future
        except ActionFailed as exc:
            if exc.message != SHUTTING_DOWN:
                raise
            self._notify_lost(SHUTTING_DOWN)
            raise BackendUnavailable(exc.message, action_id=action_id) from None
        except TimeoutError:
            raise ActionTimeout(
                f"{action.name}: no reply within {wait_s:.1f} s", action_id=action_id
            ) from None
        finally:
            self._router.discard(pending)

    async def _open(self) -> None:
        settings = self._settings
        try:
            async with asyncio.timeout(settings.connect_timeout_s):
                with _translate_socket_errors(f"connecting to {settings.host}:{settings.port}"):
                    reader, writer = await asyncio.open_connection(settings.host, settings.port)
        except TimeoutError:
            raise BackendUnavailable("connect timed out") from None
        conn = _Connection(reader, writer)
        self._conn = conn
        conn.tasks.append(asyncio.create_task(self._read_loop(conn), name="ami-reader"))
        try:
            async with asyncio.timeout(settings.connect_timeout_s):
                greeting = await asyncio.shield(conn.greeting)
            self.version = greeting.version
            await self._login(conn)
        except TimeoutError:
            await self._drop(conn, "no greeting")
            raise BackendUnavailable("no AMI greeting") from None
        except BaseException:
            await self._drop(conn, "login failed")
            raise
        conn.logged_in = True
        if settings.ping_interval_s:
            conn.tasks.append(asyncio.create_task(self._keepalive(conn), name="ami-keepalive"))
        log.info("AMI session up (%s:%d, AMI %s)", settings.host, settings.port, self.version)

    async def _login(self, conn: _Connection) -> None:
        s = self._settings
        try:
            if s.md5_login:
                reply = await self._call(actions.challenge(), conn=conn)
                assert isinstance(reply, Message)
                key = actions.md5_key(reply.get("Challenge"), s.secret)
                login = actions.login_md5(s.username, key, events=s.event_classes)
            else:
                login = actions.login(s.username, s.secret, events=s.event_classes)
            await self._call(login, conn=conn)
        except ActionFailed as exc:
            # 05 c1/c2: "Authentication failed", then Asterisk closes the socket.
            message = f"AMI login refused for {s.username!r}: {exc.message}"
            raise AuthenticationFailed(message) from None
        for expression in s.event_filters:
            await self._call(actions.event_filter(expression), conn=conn)

    async def _read_loop(self, conn: _Connection) -> None:
        reason = "server closed the connection"
        try:
            while True:
                # No timeout on this read: silence is normal; the keep-alive Ping is bounded
                # and aborts the transport when the server stops answering.
                data = await conn.reader.read(65536)
                if not data:
                    break
                for item in conn.framer.feed(data):
                    if isinstance(item, Greeting):
                        if not conn.greeting.done():
                            conn.greeting.set_result(item)
                    elif not self._router.route(item):
                        self._dispatch(item)
        except OSError as exc:
            reason = f"read failed: {exc}"
        finally:
            self._lost(conn, reason)

    def _dispatch(self, message: Message) -> None:
        if self._listener is not None:
            try:
                self._listener(message)
            except Exception:
                # A bug in one consumer must not kill the session of every other one.
                log.exception("AMI event listener failed on %s", message.event)
        self._events.publish(message)

    def _lost(self, conn: _Connection, reason: str) -> None:
        if conn.closed.is_set():
            return
        conn.closed.set()
        if self._conn is conn:
            self._conn = None
        failed = self._router.fail_all(BackendUnavailable(f"AMI connection lost: {reason}"))
        # A session that never logged in was not lost: start() or _reconnect() reports it.
        level = logging.INFO if self._closing or not conn.logged_in else logging.WARNING
        log.log(level, "AMI connection lost (%s); %d pending actions failed", reason, failed)
        if not conn.greeting.done():
            conn.greeting.set_exception(BackendUnavailable(reason))
            conn.greeting.exception()  # retrieved: nobody may be waiting any more
        conn.writer.close()
        if conn.logged_in and not self._closing:
            self._notify_lost(reason)

    def _notify_lost(self, reason: str) -> None:
        if self._on_lost is not None:
            try:
                self._on_lost(reason)
            except Exception:
                log.exception("AMI on_lost hook failed")

    async def _drop(self, conn: _Connection, reason: str) -> None:
        self._lost(conn, reason)
        current = asyncio.current_task()
        tasks = [t for t in conn.tasks if t is not current]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        with contextlib.suppress(OSError, TimeoutError):
            async with asyncio.timeout(1.0):
                await conn.writer.wait_closed()

    async def _keepalive(self, conn: _Connection) -> None:
        interval = self._settings.ping_interval_s or 0.0
        while not conn.closed.is_set():
            await self._clock.sleep(interval)
            try:
                await self._call(actions.ping(), conn=conn)
            except ActionTimeout:
                log.warning("AMI keep-alive Ping unanswered; dropping the connection")
                conn.writer.transport.abort()
                return
            except TelephonyError:
                return

    async def _supervise(self) -> None:
        while not self._closing:
            conn = self._conn
            if conn is not None:
                await conn.closed.wait()
                await self._drop(conn, "lost")
            if self._closing:
                return
            await self._reconnect()

    async def _reconnect(self) -> None:
        s = self._settings
        delay = s.backoff_initial_s
        while not self._closing:
            await self._clock.sleep(delay)
            try:
                await self._open()
            except TelephonyError as exc:
                log.warning("AMI reconnect failed (%s); next try in %.1f s", exc, delay)
                delay = min(delay * s.backoff_factor, s.backoff_max_s)
                continue
            if self._on_session is not None:
                try:
                    await self._on_session(True)
                except TelephonyError as exc:
                    # Not "back" without a re-sync: drop this session and try again.
                    log.warning("re-sync after reconnect failed (%s); reconnecting", exc)
                    conn = self._conn
                    if conn is not None:
                        await self._drop(conn, f"re-sync failed: {exc}")
                    delay = min(delay * s.backoff_factor, s.backoff_max_s)
                    continue
            return
