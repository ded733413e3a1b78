# line 21 is a single 200 MB value; vdsched must reject it in seconds
{ head -n 20 vdsched.ini; printf 'contact    = '; head -c 209715200 /dev/zero | tr '\0' x; echo; tail -n +22 vdsched.ini; } >v.new && mv v.new vdsched.ini
