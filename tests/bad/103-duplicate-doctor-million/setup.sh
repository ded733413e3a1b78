# 1,000,000 rows with the same doctor id: the messages must be capped
awk 'BEGIN { for (i = 0; i < 1000000; i++) print "t11,某某,xa-01,13800001011,," }' >>doctors.csv
