# line 5: the name is cut in the middle of a UTF-8 sequence
sed -i '5s/梁志明/\xe6\xa2/' doctors.csv
