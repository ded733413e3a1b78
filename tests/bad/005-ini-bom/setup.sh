# Notepad's "UTF-8 with BOM"
printf '\357\273\277' >bom && cat vdsched.ini >>bom && mv bom vdsched.ini
