#!/usr/bin/perl
# tally-server: a tiny HTTP server with nothing but the slim base's Perl.
#   GET /         the page the assets stage rendered
#   GET /todos    one todo per line
#   POST /todos   adds the request body as a todo
use strict;
use warnings;
use IO::Socket::INET;
$| = 1;
my $port = $ENV{TALLY_PORT} || 8000;
my $file = ($ENV{TALLY_DATA} || "/data") . "/todos.txt";
my $server = IO::Socket::INET->new(LocalPort => $port, Listen => 16, ReuseAddr => 1) or die "listen: $!";
print "tally listening on $port\n";
while (my $c = $server->accept) {
    my $request = <$c> // "";
    my ($method, $path) = split / /, $request;
    my $length = 0;
    while (my $header = <$c>) {
        last if $header =~ /^\r?\n$/;
        $length = $1 if $header =~ /^Content-Length:\s*(\d+)/i;
    }
    my ($status, $body) = ("404 Not Found", "not found\n");
    if ($method eq "GET" && $path eq "/") {
        open my $fh, "<", "/srv/www/index.html" or die "index: $!";
        local $/; ($status, $body) = ("200 OK", <$fh>);
    } elsif ($method eq "GET" && $path eq "/todos") {
        my $todos = "";
        if (open my $fh, "<", $file) { local $/; $todos = <$fh>; }
        ($status, $body) = ("200 OK", $todos);
    } elsif ($method eq "POST" && $path eq "/todos") {
        read($c, my $todo, $length);
        open my $fh, ">>", $file or die "todos: $!";
        print $fh "$todo\n";
        close $fh;
        ($status, $body) = ("201 Created", "added\n");
    }
    print $c "HTTP/1.0 $status\r\nContent-Type: text/plain\r\nContent-Length: " . length($body) . "\r\n\r\n$body";
    close $c;
}
