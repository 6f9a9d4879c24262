namespace MetricsPipeline.Ingest.Tests.LineProtocol;

/// <summary>
/// Messages shaped like Telegraf's Kafka output with <c>data_format = "influx"</c>: sorted tags, a host tag,
/// nanosecond timestamps, one line per metric, each terminated by <c>\n</c>. Written by hand for these tests.
/// </summary>
internal static class TelegrafSamples
{
    public const long Timestamp = 1700000000000000000;

    public const string SingleLine =
        "cpu,cpu=cpu-total,host=web-01 usage_guest=0,usage_guest_nice=0,usage_idle=91.98396793587175,usage_iowait=0.20040080160320642,usage_irq=0,usage_nice=0,usage_softirq=0.10020040080160321,usage_steal=0,usage_system=2.404809619238477,usage_user=5.3106212424849695 1700000000000000000\n";

    public const string Batch =
        "cpu,cpu=cpu0,host=web-01 usage_guest=0,usage_idle=88.5,usage_iowait=0.5,usage_system=3.25,usage_user=7.75 1700000000000000000\n"
        + "cpu,cpu=cpu-total,host=web-01 usage_guest=0,usage_idle=91.98396793587175,usage_iowait=0.20040080160320642,usage_system=2.404809619238477,usage_user=5.3106212424849695 1700000000000000000\n"
        + "mem,host=web-01 active=2416283648i,available=6102388736i,available_percent=73.6148046718139,buffered=103604224i,cached=2345678848i,free=3876171776i,total=8289726464i,used=1708793856i,used_percent=20.61336938513581 1700000000000000000\n"
        + "disk,device=sda1,fstype=ext4,host=web-01,mode=rw,path=/ free=41358888960i,inodes_free=2969654i,inodes_total=3276800i,inodes_used=307146i,total=52710469632i,used=8641634304i,used_percent=17.2837615 1700000000000000000\n"
        + "disk,device=sdb1,fstype=ext4,host=web-01,mode=rw,path=/mnt/backup\\ disk free=1000i,total=2000i,used=1000i,used_percent=50 1700000000000000000\n"
        + "diskio,host=web-01,name=sda io_time=123456i,iops_in_progress=0i,read_bytes=987654321i,read_time=4321i,reads=54321i,weighted_io_time=98765i,write_bytes=123456789i,write_time=8765i,writes=12345i 1700000000000000000\n"
        + "net,host=web-01,interface=eth0 bytes_recv=1234567890i,bytes_sent=987654321i,drop_in=0i,drop_out=0i,err_in=0i,err_out=0i,packets_recv=2345678i,packets_sent=1234567i 1700000000000000000\n"
        + "system,host=web-01 load1=0.42,load15=0.35,load5=0.4,n_cpus=4i,n_unique_users=1i,n_users=2i 1700000000000000000\n"
        + "system,host=web-01 uptime=273900u 1700000000000000000\n"
        + "system,host=web-01 uptime_format=\" 3 days,  4:05\" 1700000000000000000\n"
        + "processes,host=web-01 blocked=0i,running=2i,sleeping=187i,stopped=0i,total=190i,total_threads=412i,zombies=0i 1700000000000000000\n"
        + "win_disk,host=WIN-01,instance=C:,objectname=LogicalDisk Percent_Free_Space=42.5,Free_Megabytes=20480 1700000000000000000\n"
        + "win_services,display_name=Windows\\ Update,host=WIN-01,service_name=wuauserv startup_mode=2i,state=4i 1700000000000000000\n"
        + "internal_write,host=web-01,output=kafka buffer_limit=10000i,buffer_size=0i,errors=0i,metrics_added=1234i,metrics_dropped=0i,metrics_filtered=0i,metrics_written=1234i,write_time_ns=1520000i 1700000000000000000\n"
        + "procstat,host=web-01,process_name=dotnet,user=app cpu_usage=12.5,memory_rss=104857600i,num_threads=24i,pid=4242i,running=true,cmdline=\"/usr/bin/dotnet /app/MetricsPipeline.dll --config=/etc/app.json\" 1700000000000000000\n";

    public const int BatchLines = 15;
}
