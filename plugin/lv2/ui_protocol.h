/* What the plugin tells its UI on the notify port, besides patch:Set of
   urn:cyclebus:program (the answer to patch:Get) and urn:cyclebus:error
   ("LINE:COL: message", or "" when the last program compiled), and, when it
   takes a compiled program, patch:Set of
     urn:cyclebus:warnings       its warnings, "LINE:COL: message" a line (a
                                 file's message has no place); "" for none
     urn:cyclebus:samplesInUse   the sample folders it searches, ':' between

   - cb:Playhead objects, at most every CB_PLAYHEAD_SECONDS while rolling and
     once when the transport stops:
       cb:cycle   atom:Double  the cycle position at the block's start
       cb:rolling atom:Bool
   - cb:Triggered objects, one per triggered event (chord notes count once),
     at most CB_TRIGGERED_PER_BLOCK per block (more are not reported):
       cb:output atom:Int     the output line's index, in program order
       cb:onset  atom:Double  the event's onset, in cycles
       cb:end    atom:Double  the event's end (onset + duration), in cycles
   The UI sends patch:Set (program or programFile) and patch:Get on the
   control port, and writes control ports as any LV2 UI does. */
#ifndef CYCLEBUS_UI_PROTOCOL_H
#define CYCLEBUS_UI_PROTOCOL_H

#define CB__warnings "urn:cyclebus:warnings"
#define CB__samplesInUse "urn:cyclebus:samplesInUse"
#define CB__Playhead "urn:cyclebus:Playhead"
#define CB__Triggered "urn:cyclebus:Triggered"
#define CB__cycle "urn:cyclebus:cycle"
#define CB__rolling "urn:cyclebus:rolling"
#define CB__output "urn:cyclebus:output"
#define CB__onset "urn:cyclebus:onset"
#define CB__end "urn:cyclebus:end"

#define CB_PLAYHEAD_SECONDS 0.03
#define CB_TRIGGERED_PER_BLOCK 32

#endif
