sed -i 's|^doctors *=.*|doctors    = doctors.xlsx|' vdsched.ini
{ printf '\320\317\021\340\241\261\032\341'; head -c 4000 /dev/zero; } >doctors.xlsx
