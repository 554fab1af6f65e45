%# The guide's navigation.  It is made once for all the pages that show the
%# same one, so it cannot say which page is shown: the server marks that
%# page's link (aria-current="page"), found as nav_list.tpl writes it.
<nav id="guide-nav" class="guide-nav" aria-label="{{guide.words['guide']}}">
<details class="guide-nav-toggle" open>
<summary>{{guide.words['contents']}}</summary>
% include('nav_list', entries=nav)
% if guide.posts:
<p class="nav-blog"><a href="/blog/">{{guide.words['blog']}}</a></p>
% end
</details>
</nav>
