# the name on line 13 is cut in the middle of a UTF-8 sequence
{ head -n 12 vdsched.ini; printf 'name       = \347\244 village\n'; tail -n +14 vdsched.ini; } >v.new && mv v.new vdsched.ini
