# Chinese headers, one mistyped (编码 for 编号): warned with the near name
printf '\357\273\277村医编码,姓名,村卫生室编号,手机号,已完成课程,不可参加日期\r\n' >d.csv
tail -n +2 doctors.csv | sed 's/$/\r/' >>d.csv && mv d.csv doctors.csv
