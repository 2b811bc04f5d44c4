-- ardour_stems.lua: the multi-out plugin (urn:cyclebus:stems) on a MIDI track,
-- for tests/test_host_ardour.sh. Run by ardour7-lua on the Dummy backend:
--   ardour7-lua ardour_stems.lua DIR PRESET_LABEL SECONDS PAIRS
-- The track gets the plugin's 18 outputs. Ardour's panner for 18 inputs and
-- 18 outputs is VBAP, which spreads the inputs over the outputs as speakers;
-- bypassed, the track's output n carries the plugin's output n. Snapshot
-- "pairK" (K = 0 .. PAIRS-1) connects only the track's outputs 2K+1, 2K+2
-- (the main pair for K = 0, orbit K-1's stem after) to the master bus, which
-- ardour7-export renders. Prints "CB key value..." lines.

local RATE = 48000
local TRACK = "cyclebus"
local session_open = false

local function report(...) print("CB", ...) end
local function fail(message) error("ardour_stems.lua: " .. message, 0) end

local function create(dir, label, seconds, pairs)
  if not create_session(dir, TRACK, RATE) then fail("create_session failed in " .. dir) end
  session_open = true
  local info = ARDOUR.LuaAPI.new_plugin_info("urn:cyclebus:stems", ARDOUR.PluginType.LV2)
  if info:isnil() then fail("urn:cyclebus:stems not found on LV2_PATH") end
  local preset = nil
  for p in info:get_presets():iter() do
    if p.label == label then preset = p end
  end
  if not preset then fail("preset '" .. label .. "' not listed for the multi-out plugin") end
  local tracks = Session:new_midi_track(
    ARDOUR.ChanCount(ARDOUR.DataType("midi"), 1), ARDOUR.ChanCount(ARDOUR.DataType("audio"), 2),
    false, -- strict I/O off, as in ardour_session.lua
    info, preset, nil, 1, TRACK, ARDOUR.PresentationInfo.max_order, ARDOUR.TrackMode.Normal,
    true, false)
  if tracks:size() ~= 1 then fail("no MIDI track") end
  local track = tracks:front()
  local insert = track:nth_plugin(0):to_insert()
  report("outputs", insert:natural_output_streams():n_audio(), track:n_outputs():n_audio())
  track:panner_shell():set_bypassed(true)

  local region = track:bounce_range(0, seconds * RATE, ARDOUR.InterThreadInfo(),
                                    ARDOUR.LuaAPI.nil_proc(), false, "empty")
  if region:isnil() then fail("bounce_range gave no region") end
  Session:begin_reversible_command("insert region")
  track:playlist():add_region(region, Temporal.timepos_t(0), 1, false)
  if not Session:abort_empty_reversible_command() then Session:commit_reversible_command(nil) end

  -- Ardour auto-connects the outputs from its own thread: wait for it, so
  -- that it does not connect them again after the pairs below are set.
  local out = track:output()
  local waited = 0
  while not (out:audio(0):connected() and out:audio(1):connected()) and waited < 5000 do
    ARDOUR.LuaAPI.usleep(10000)
    waited = waited + 10
  end
  report("connected", out:audio(0):connected(), waited)
  local master = Session:master_out():input()
  for k = 0, pairs - 1 do
    out:disconnect_all(nil)
    out:audio(2 * k):connect(master:audio(0):name())
    out:audio(2 * k + 1):connect(master:audio(1):name())
    Session:save_state("pair" .. k, false, false, false, false, false)
    report("saved", "pair" .. k)
  end
end

-- Every reference to session objects lives in create()'s locals and is
-- collected before close_session() (see ardour_session.lua).
local ok, message = pcall(function()
  create(arg[1], arg[2], tonumber(arg[3]), tonumber(arg[4]))
end)
collectgarbage()
collectgarbage()
if session_open then close_session() end
if not ok then
  print(message)
  os.exit(1)
end
report("done")
