-- mod_natter_crowd: the clients behind a crowd of room occupants.
--
-- Loaded as the component "crowd.<domain>" of the test Prosody. Big-room
-- tests and benchmarks need a room of a thousand or more occupants; a real
-- client per occupant is out of reach on a test machine, and even one
-- component joining them all one by one costs the MUC n^2 presences among
-- the occupants themselves (minutes for 2,000). So the harness
-- (natter_test/crowd.py) seats the crowd through the MUC's own occupant
-- API, and this host stands in for the crowd's clients: it takes every
-- stanza the room sends them and drops it, answering requests with
-- service-unavailable as an absent client would. What the client under
-- test sees (the occupant list, presences, messages) comes from the real
-- MUC code.
--
-- The crowd's members are also contacts for big-roster benchmarks: every
-- one of them is online, so a presence probe (sent by the server of a
-- user who has them in the roster, at that user's login) gets an
-- available presence back, as from a connected client.
local st = require "util.stanza";

local function absent_client(event)
	local stanza = event.stanza;
	if stanza.name == "iq" and (stanza.attr.type == "get" or stanza.attr.type == "set") then
		module:send(st.error_reply(stanza, "cancel", "service-unavailable"));
	elseif stanza.name == "presence" and stanza.attr.type == "probe" then
		module:send(st.presence({ from = stanza.attr.to .. "/crowd", to = stanza.attr.from }));
	end
	return true;
end

for _, kind in ipairs { "message", "presence", "iq" } do
	for _, to in ipairs { "full", "bare", "host" } do
		module:hook(kind .. "/" .. to, absent_client, 1000);
	end
end
