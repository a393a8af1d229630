# Commands for gdb sessions on a ttd recording (ttdctl debug loads this).
# The moves happen in the replay, behind gdb's back: each command makes
# gdb read the registers again and shows where it landed.

define ttd-when
  monitor when
end
document ttd-when
Print the current instruction count of the replay.
end

define ttd-goto
  monitor goto $arg0
  maintenance flush register-cache
  frame
end
document ttd-goto
Go to the given instruction count of the replay: ttd-goto N.
end

define ttd-checkpoint
  monitor checkpoint
end
document ttd-checkpoint
Remember the current position; prints its number for ttd-restart.
end

define ttd-restart
  monitor restart $arg0
  maintenance flush register-cache
  frame
end
document ttd-restart
Go back to a position remembered by ttd-checkpoint: ttd-restart K.
end
