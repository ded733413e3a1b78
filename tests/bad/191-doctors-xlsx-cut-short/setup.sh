sed -i 's|^doctors *=.*|doctors    = doctors.xlsx|' vdsched.ini
{ printf 'PK\003\004\024\000\000\000\010\000'; head -c 600 /dev/zero; } >doctors.xlsx
