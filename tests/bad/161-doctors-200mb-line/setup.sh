# line 3 is a single 200 MB field; vdsched must reject it in seconds
{ head -n 2 doctors.csv; printf 't02,'; head -c 209715200 /dev/zero | tr '\0' x; printf ',xa-01,13800001002,,\n'; tail -n +4 doctors.csv; } >d.new && mv d.new doctors.csv
