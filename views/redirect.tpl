<!doctype html>
<html lang="{{guide.language}}">
<head>
<meta charset="utf-8">
<title>{{page.title}} · {{guide.title}}</title>
<link rel="canonical" href="{{page.url}}">
<meta http-equiv="refresh" content="0; url={{page.url}}">
<meta name="robots" content="noindex">
</head>
<body>
<p>{{guide.words['moved']}} <a href="{{page.url}}">{{page.title}}</a>.</p>
</body>
</html>
