"""A crowd of occupants in a room of the test Prosody, for big-room tests
and benchmarks.

Thousands of real clients are out of reach on a test machine, and one
component joining thousands of occupants one by one makes the MUC send n^2
presences among them (minutes for 2,000). So the crowd is seated in one go
through the MUC's own occupant API (Lua, over Prosody's admin console), and
its members' clients are the component crowd.localhost
(prosody_plugins/mod_natter_crowd.lua), which takes and drops whatever the
room sends them. Everything else goes through the server's normal path: a
member who joins, leaves, changes status or speaks after the seating is a
stanza from crowd.localhost routed to the room, and what the client under
test receives (occupant list, presences, messages) is the real MUC's.

    crowd = Crowd(prosody, "big@conference.localhost")
    crowd.seat(2000)          # members 0..1999, nicks crowd0000...
    crowd.say(7, "hello")     # crowd0007 speaks
    crowd.leave(7)            # and leaves
    crowd.count()             # occupants as the server counts them

    Crowd(prosody).tell_many("alice@localhost", 500, "hi %d", members=50)
                              # 500 chat messages from 50 contacts
"""

from .prosody import lua_str

MUC_NS = "http://jabber.org/protocol/muc"


class Crowd:
    def __init__(self, prosody, room=None, nick_format="crowd%04d"):
        """ROOM None: members who only write to users (tell_many)."""
        self.p = prosody
        self.room = room
        self.nick_format = nick_format

    def nick(self, i):
        return self.nick_format % i

    def real_jid(self, i):
        return "member%d@%s/crowd" % (i, self.p.crowd_domain)

    def _lua(self, body):
        """Runs BODY (Lua statements; `st`, `muc`, `room`, `crowd` and
        `member(i)` -> real JID, in-room JID are defined) in the server;
        returns what it returns, as text."""
        prelude = (
            "local st = require'util.stanza'; "
            "local muc = prosody.hosts[%(muc)s].modules.muc; "
            "local room = %(room)s and (muc.get_room_from_jid(%(room)s) "
            "or muc.create_room(%(room)s)); "
            "local crowd = prosody.hosts[%(crowd)s]; "
            "local function member(i) return "
            "'member'..i..'@'..%(crowd)s..'/crowd', "
            "%(room)s and %(room)s..'/'..string.format(%(fmt)s, i) end; "
            % {"muc": lua_str(self.p.muc_domain),
               "room": lua_str(self.room) if self.room else "nil",
               "crowd": lua_str(self.p.crowd_domain),
               "fmt": lua_str(self.nick_format)})
        text = self.p.shell("> " + prelude + body)
        return text.split("Result:", 1)[-1].strip()

    def seat(self, count, first=0):
        """Seats members FIRST..FIRST+COUNT-1 as participants, present
        (no show), without the presences among them; returns the number of
        occupants the room then has."""
        return int(self._lua(
            "for i = %d, %d do "
            "local real, nick = member(i); "
            "local o = room:new_occupant(real:match('^[^/]+'), nick); "
            "o:set_session(real, st.presence({from = real, to = nick})"
            ":tag('x', {xmlns = %s}):up(), true); "
            "room:save_occupant(o) end; "
            "local n = 0; for _ in room:each_occupant() do n = n + 1 end; "
            "return n" % (first, first + count - 1, lua_str(MUC_NS))))

    def _post(self, i, stanza_lua):
        self._lua("local real, nick = member(%d); "
                  "prosody.core_post_stanza(crowd, %s); return 'ok'"
                  % (i, stanza_lua))

    def join(self, i):
        """Member I joins the normal way (everyone is told)."""
        self._post(i, "st.presence({from = real, to = nick})"
                   ":tag('x', {xmlns = %s}):tag('history', "
                   "{maxstanzas = '0'})" % lua_str(MUC_NS))

    def show(self, i, show):
        """Member I changes its presence to SHOW (away, dnd, ...)."""
        self._post(i, "st.presence({from = real, to = nick})"
                   ":tag('show'):text(%s)" % lua_str(show))

    def leave(self, i, status=None):
        extra = ":tag('status'):text(%s)" % lua_str(status) if status else ""
        self._post(i, "st.presence({from = real, to = nick, "
                   "type = 'unavailable'})" + extra)

    def say(self, i, text):
        self._post(i, "st.message({from = real, to = %s, type = 'groupchat'})"
                   ":tag('body'):text(%s)" % (lua_str(self.room),
                                              lua_str(text)))

    def say_many(self, count, text_format, first_member=0, members=1,
                 per_call=50):
        """COUNT messages, text TEXT_FORMAT % n (n from 1), spread over
        MEMBERS members from FIRST_MEMBER. Posted PER_CALL at a time: each
        costs the room one copy per occupant, and the console answers only
        when its line is done."""
        self._post_many(self.room, "groupchat", count, text_format,
                        first_member, members, per_call)

    def tell_many(self, to, count, text_format, first_member=0, members=1,
                  per_call=1000):
        """COUNT chat messages to the user TO, as say_many(): each member
        is a contact of its own, so MEMBERS conversations."""
        self._post_many(to, "chat", count, text_format, first_member,
                        members, per_call)

    def _post_many(self, to, kind, count, text_format, first_member,
                   members, per_call):
        for start in range(1, count + 1, per_call):
            end = min(count, start + per_call - 1)
            self._lua(
                "for n = %d, %d do "
                "local real = member(%d + (n - 1) %% %d); "
                "prosody.core_post_stanza(crowd, st.message({from = real, "
                "to = %s, type = %s}):tag('body')"
                ":text(string.format(%s, n))) end; return 'ok'"
                % (start, end, first_member, members, lua_str(to),
                   lua_str(kind), lua_str(text_format)))

    def count(self):
        """Occupants of the room as the server counts them."""
        return int(self._lua(
            "local n = 0; for _ in room:each_occupant() do n = n + 1 end; "
            "return n"))
