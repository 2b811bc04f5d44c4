-- ardour_session.lua: builds (or reopens and re-saves) the Ardour 7 session that
-- tests/test_host_ardour.sh exports. Run by ardour7-lua on the Dummy backend:
--   ardour7-lua ardour_session.lua create DIR URI PRESET_LABEL BPM BEATS_PER_BAR BARS CUT_FROM CUT_TO
--   ardour7-lua ardour_session.lua reopen DIR NEW_SNAPSHOT
-- It prints "CB key value..." lines for the shell test to check.

local RATE = 48000
local TRACK = "cyclebus"
local session_open = false

local function report(...) print("CB", ...) end
local function fail(message) error("ardour_session.lua: " .. message, 0) end

-- LV2 control ports by name (Ardour's Lua API offers labels, not symbols):
-- name -> { n = Ardour's parameter number (nth control port), port = LV2 port index }.
local function control_ports(plug)
  local ports, n = {}, 0
  for j = 0, plug:parameter_count() - 1 do
    if plug:parameter_is_control(j) then
      if plug:parameter_is_input(j) then ports[plug:parameter_label(j)] = { n = n, port = j } end
      n = n + 1
    end
  end
  return ports
end

local function cutoff_control(proc, port)
  return proc:to_automatable():automation_control(
    Evoral.Parameter(ARDOUR.AutomationType.PluginAutomation, 0, port.port), false)
end

-- Values the test checks after creating and after reopening: the tempo map, the
-- preset's port values, the cutoff automation.
local function report_state(proc, plug)
  local ports = control_ports(plug)
  local tm = Temporal.TempoMap.read()
  local zero = Temporal.timepos_t(0)
  report("tempo", tm:quarters_per_minute_at(zero), tm:meter_at(zero):divisions_per_bar())
  for _, name in ipairs({ "Gain", "Resonance", "Release" }) do
    report("param", name, ARDOUR.LuaAPI.get_processor_param(proc, ports[name].n))
  end
  local _, list = ARDOUR.LuaAPI.plugin_automation(proc, ports["Cutoff"].n)
  local ac = cutoff_control(proc, ports["Cutoff"])
  report("automation", "points", list:size(), "play", ac:automation_state() == ARDOUR.AutoState.Play)
  local range = Session:locations():session_range_location()
  if range then report("range", range:start():samples(), range:_end():samples()) end
end

-- Ardour 7.3's Lua cannot make a MIDI region or set the session range directly.
-- Bouncing an empty range of the MIDI track without processing gives an empty
-- region; adding it inside an operation named "insert region" (one of the few
-- Ardour extends the session range for) makes the range ardour7-export renders.
local function add_empty_region(track, frames)
  local region = track:bounce_range(0, frames, ARDOUR.InterThreadInfo(),
                                    ARDOUR.LuaAPI.nil_proc(), false, "empty")
  if region:isnil() then fail("bounce_range gave no region") end
  Session:begin_reversible_command("insert region")
  track:playlist():add_region(region, Temporal.timepos_t(0), 1, false)
  if not Session:abort_empty_reversible_command() then Session:commit_reversible_command(nil) end
end

local function create(dir, uri, label, bpm, beats_per_bar, bars, cut_from, cut_to)
  if not create_session(dir, TRACK, RATE) then fail("create_session failed in " .. dir) end
  session_open = true
  report("engine", AudioEngine:current_backend_name(), Session:nominal_sample_rate(),
         Session:get_block_size())

  local tm = Temporal.TempoMap.fetch_writable()
  tm:set_tempo(Temporal.Tempo(bpm, bpm, 4), Temporal.timepos_t(0))
  tm:set_meter(Temporal.Meter(beats_per_bar, 4), Temporal.timepos_t(0))
  Temporal.TempoMap.update(tm)

  local info = ARDOUR.LuaAPI.new_plugin_info(uri, ARDOUR.PluginType.LV2)
  if info:isnil() then fail("plugin " .. uri .. " not found on LV2_PATH") end
  -- The preset is applied as the plugin is created, before its first run():
  -- loading one into a running plugin from Lua crashed Ardour 7.3 now and then.
  local preset = nil
  local presets = info:get_presets()
  for p in presets:iter() do
    report("preset-listed", p.label, p.uri)
    if p.label == label then preset = p end
  end
  if not preset then fail("preset '" .. label .. "' not listed") end

  local tracks = Session:new_midi_track(
    ARDOUR.ChanCount(ARDOUR.DataType("midi"), 1), ARDOUR.ChanCount(ARDOUR.DataType("audio"), 2),
    false, -- strict I/O off: with it, track creation raced ("Port already exists") at times
    info, preset, nil, 1, TRACK, ARDOUR.PresentationInfo.max_order, ARDOUR.TrackMode.Normal,
    true, false)
  if tracks:size() ~= 1 then fail("no MIDI track") end
  local track = tracks:front()
  local proc = track:nth_plugin(0)
  local plug = proc:to_insert():plugin(0)
  report("plugin", plug:name(), plug:unique_id())

  local frames = math.floor(bars * beats_per_bar * 60 / bpm * RATE + 0.5)
  add_empty_region(track, frames)

  -- Cutoff automation: a ramp from cut_from at the start to cut_to at the end.
  -- Ardour interpolates a logarithmic port's automation in log space.
  local ports = control_ports(plug)
  if not ports["Cutoff"] then fail("no Cutoff control port") end
  local _, list = ARDOUR.LuaAPI.plugin_automation(proc, ports["Cutoff"].n)
  list:clear_list()
  list:add(Temporal.timepos_t(0), cut_from, false, false)
  list:add(Temporal.timepos_t(frames), cut_to, false, false)
  cutoff_control(proc, ports["Cutoff"]):set_automation_state(ARDOUR.AutoState.Play)
  for q = 0, 4 do
    report("cutoff-at", q / 4, list:eval(Temporal.timepos_t(math.floor(frames * q / 4))))
  end

  -- Ardour connects a new track's outputs to the master bus from its
  -- auto-connect thread; saving before that saves a track nothing hears (seen
  -- now and then since the plugin has a MIDI output, which makes Ardour
  -- reconfigure the track's outputs once more).
  local function connected()
    local out = track:output()
    return out:audio(0):connected() and out:audio(1):connected()
  end
  local waited = 0
  while not connected() and waited < 5000 do
    ARDOUR.LuaAPI.usleep(10000)
    waited = waited + 10
  end
  report("connected", connected(), waited)

  report_state(proc, plug)
  Session:save_state("", false, false, false, false, false)
  report("saved", Session:path(), Session:name())
end

local function reopen(dir, snapshot)
  if not load_session(dir, TRACK) then fail("load_session failed in " .. dir) end
  session_open = true
  local route = Session:route_by_name(TRACK)
  if route:isnil() then fail("track '" .. TRACK .. "' missing after reopening") end
  local proc = route:nth_plugin(0)
  if proc:isnil() then fail("plugin missing after reopening") end
  local plug = proc:to_insert():plugin(0)
  report("plugin", plug:name(), plug:unique_id())
  report_state(proc, plug)
  -- A second snapshot saved from the restored plugin: exporting it checks the
  -- plugin's state survives save -> restore -> save.
  Session:save_state(snapshot, false, false, false, false, false)
  report("saved", Session:path(), snapshot)
end

-- Every reference to session objects lives in create()/reopen() locals and is
-- collected before close_session(): a Route outliving its Session is freed
-- later by the Lua GC and corrupts the heap.
local ok, message = pcall(function()
  local mode, dir = arg[1], arg[2]
  if mode == "create" then
    create(dir, arg[3], arg[4], tonumber(arg[5]), tonumber(arg[6]), tonumber(arg[7]),
           tonumber(arg[8]), tonumber(arg[9]))
  elseif mode == "reopen" then
    reopen(dir, arg[3])
  else
    fail("usage: ardour_session.lua create|reopen DIR ...")
  end
end)
collectgarbage()
collectgarbage()
if session_open then close_session() end
if not ok then
  print(message)
  os.exit(1)
end
report("done")
